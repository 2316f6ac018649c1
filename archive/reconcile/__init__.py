"""OpenRefine reconciliation (W3C Entity Reconciliation CG, Reconciliation Service API
0.2) at ``/reconcile/``: investigators match their own lists against the published
victims and perpetrators.

``matching``: a query batch read, each query answered with the people search's ranked
candidates (``<QuerySet>.search``), re-scored by the properties given, ``match`` only for
a sure match. ``views``: the manifest, the batch endpoint (queries and data extension),
preview, suggest and property proposals. Published records only, public fields only
(the apps' public serialisers)."""
