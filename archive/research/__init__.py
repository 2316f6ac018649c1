"""Researchers' tools in the admin: one log of every change kept in the records'
histories (``changes``) and the data-quality view (``quality``)."""
