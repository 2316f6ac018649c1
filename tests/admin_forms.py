"""Posting an admin change form as a browser would: every field of the form and of its
inlines with the value the page shows, then the changes a test makes."""

import datetime as dt


def form_data(response, **changes) -> dict:
    """The data a browser would send back from the admin page in ``response``, with
    ``changes`` (field name: value) applied to the main form."""
    data: dict = {}

    def add(form):
        for name in form.fields:
            bound = form[name]
            value = bound.value()
            if value is None or value is False or hasattr(value, "field"):
                continue  # nothing, unticked, or a file (a browser sends no file back)
            if value is True:
                value = "on"
            elif isinstance(value, (dt.date, dt.datetime)):
                value = value.isoformat()
            elif isinstance(value, (list, tuple)):
                value = [str(v) for v in value]
            data[bound.html_name] = value

    add(response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


# What the victim's admin form also sends (the family's yes / no / unknown answers, the two
# family-relation inlines), for tests that write the form's data by hand.
VICTIM_FORM_REST = {
    "body_returned": "unknown", "belongings_returned": "unknown", "burial_known": "unknown",
    "relations_from-TOTAL_FORMS": "0", "relations_from-INITIAL_FORMS": "0",
    "relations_to-TOTAL_FORMS": "0", "relations_to-INITIAL_FORMS": "0",
}  # fmt: skip
