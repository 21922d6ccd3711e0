"""Posting admin change forms in tests: the page's own form, as the browser would send it back."""

import zoneinfo

from django.forms import MultiWidget
from django.utils import timezone


def form_data(response) -> dict:
    """The POST a browser would send for an admin add/change page left as rendered: the main
    form, and every inline's management form and rows (change a key to change a value).
    Split date/time fields are given as the page shows them, in its clinic time."""
    forms = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets", []):
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    zone = response.context.get("clinic_time", "UTC").split(", ")[-1]
    data = {}
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        for form in forms:
            for field in form:
                value = field.value()
                widget = field.field.widget
                if isinstance(widget, MultiWidget) and value is not None and not isinstance(value, list):
                    for index, part in enumerate(widget.decompress(value)):
                        data[f"{field.html_name}_{index}"] = str(part)
                elif value is True:
                    data[field.html_name] = "on"
                elif value is None or value is False:
                    continue
                else:
                    data[field.html_name] = value
    return data


def add_inline_row(data: dict, prefix: str, **values) -> dict:
    """Add one row to an inline formset in `data` (fields given without the prefix)."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    for name, value in values.items():
        data[f"{prefix}-{index}-{name}"] = value
    return data
