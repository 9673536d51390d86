"""The text of ``cloudposture config example``: every key, commented.

A test loads this text through the real loader and checks that it names every field of the
model, so the example cannot drift from what the loader accepts.
"""

EXAMPLE = """\
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
  aws:
    # One account through a named profile, in its own regions.
    - name: payments-prod            # label in reports (default: the account id)
      profile: payments-prod
      regions: [eu-west-1]
    # One account through a role, with an external id.
    - role_arn: arn:aws:iam::111111111111:role/cloudposture-audit
      external_id: ${CLOUDPOSTURE_EXTERNAL_ID}
      endpoint_url: https://vpce-example.eks.eu-west-1.vpce.amazonaws.com   # rarely needed
    # Every member account of an organization: ListAccounts from the management account
    # (this entry's profile / role_arn), then sts:AssumeRole into role_name in each member.
    # A member whose role cannot be assumed is a coverage error; the others complete.
    - name: org
      profile: org-management
      organization:
        role_name: cloudposture-audit
        external_id: ${CLOUDPOSTURE_ORG_EXTERNAL_ID}
        include_accounts: []             # only these members (default: every ACTIVE one)
        exclude_accounts: ["222222222222"]
  gcp:
    - name: platform
      projects: [platform-prod, platform-staging]
      folders: ["folders/123456789012"]
      organization: "organizations/987654321098"
      impersonate_service_account: cloudposture@audit-project.iam.gserviceaccount.com
      regions: [europe-west1]          # GKE locations to keep (zones of a region match it)
      endpoint: https://container.googleapis.com   # rarely needed
  azure:
    - name: corp
      subscriptions: ["00000000-0000-0000-0000-000000000000"]
      management_groups: [corp-landing-zones]
      all_visible: false               # true: every subscription the identity can see
      cloud: public                    # public | china | usgov
      regions: [westeurope]
      arm_endpoint: https://management.azure.com   # rarely needed

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

# History store: a SQLite file path or sqlite:///PATH (default: $CLOUDPOSTURE_STATE, else
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
"""
