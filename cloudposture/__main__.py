from cloudposture.cli import main

raise SystemExit(main())
