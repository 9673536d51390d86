"""The nightly run: scan an estate from a config file, fan out, shard, mute suppressed
findings, diff against the previous run of the same config."""
