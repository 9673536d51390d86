from cloudposture.cli.main import main

raise SystemExit(main())
