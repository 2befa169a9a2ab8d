"""Forced demolition (强制拆除): preconditions, the operation on site, the witnessed
inventory of the party's property, its custody and handover, and the documents (R16, R20–R27)."""
