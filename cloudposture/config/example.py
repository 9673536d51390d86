"""The text of ``cloudposture config example``: every key, commented.

The ``targets`` block is each installed provider's own (its plugin's ``config_example``). A
test loads this text through the real loader and checks that it names every field of the
assembled model, so the example cannot drift from what the loader accepts.
"""

from __future__ import annotations

_HEAD = """\
# cloudposture nightly configuration: `cloudposture run --config THIS_FILE`.
# Validate with `cloudposture config validate THIS_FILE`. Credentials never go here: use
# profiles, instance/workload identity, or the environment; `${VAR}` is replaced by the
# environment variable VAR (a missing one is an error), e.g. for sink tokens.

# Identifies this config's history: runs with the same name are diffed against each other.
# Default: the file name without its extension.
name: production-estate

# Default regions/locations for every target that does not list its own (default: all).
regions: [eu-west-1, us-east-1]

targets:
"""

_TAIL = """
rules:
  only: []                             # run only these rule ids (default: all)
  skip: [VER-001]
  severity:                            # rule id -> info | low | medium | high | critical
    CP-002: high
  broad_prefix: 24                     # CP-003: a public CIDR shorter than /24 is too broad

# A suppression mutes a FAIL (reported as MUTED, still stored and still sent, so audits see
# it). It never mutes an ERROR, and after `expires` it stops muting and the run warns.
suppressions:
  - rule: CP-002
    match:                             # every key given must match; globs allowed
      provider: aws
      account: "111111111111"
      region: eu-*
      cluster: dev-*
      tags: {environment: dev}
    reason: dev clusters are reached over the public endpoint until the VPN lands
    owner: platform-team@example.com
    expires: 2030-06-30

# Where findings go, the same URLs as `cloudposture scan --sink`. Secrets are named by
# reference (token_env=VAR, token_file=PATH), never written in the URL.
sinks:
  - splunk+https://splunk.example.com:8088?token_env=SPLUNK_HEC_TOKEN

# History store: a SQLite file path or sqlite:////ABSOLUTE/PATH (default: $CLOUDPOSTURE_STATE, else
# ~/.cloudposture/state.db), or PostgreSQL for shared and sharded runs (password from
# PGPASSWORD or ~/.pgpass, never in this file).
store: postgresql://cloudposture@db.example.com/cloudposture

fail_on: high                          # exit 1 at a FAIL this severe; none: never

concurrency:
  max_workers: 16                      # API calls in flight for the whole run
  per_provider: 16                     # ... for one cloud
  per_account: 4                       # ... for one account / project / subscription

output:
  formats: [json]                      # also written to `directory`
  directory: ./reports
  ocsf_class: compliance               # for the ocsf format: compliance or detection
"""


def example_text() -> str:
    """The whole example, with one ``targets.<cloud>`` block per installed provider."""
    from cloudposture.plugin import available_providers, load_provider

    blocks = []
    for name in available_providers():
        block = load_provider(name).config_example
        if block:
            blocks.append(f"  {name}:\n{block}")
    return _HEAD + "".join(blocks) + _TAIL


EXAMPLE = example_text()
