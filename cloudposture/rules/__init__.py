"""Provider-neutral rules: pure checks over :class:`cloudposture.model.ClusterPosture`.

``catalog`` lists every rule, ``evaluate`` turns a rule's outcome into a finding, ``docs``
renders the catalogue as Markdown. Importing this package imports no rule module.
"""
