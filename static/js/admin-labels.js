// Names for the admin's fields that Django leaves without one, so that a screen reader says
// what each box is for (axe-core: label, select-name, aria-input-field-name; WCAG 1.3.1 and
// 4.1.2):
// - a tabular inline's fields (a citation's source, claim, locator, quotation) stand under
//   their column's heading with no <label>: each is named by its heading ("Claim");
// - an autocomplete (select2) draws a combobox of its own, and in it a read-only text box
//   showing the choice, both named by nothing while it holds no choice: they take the name
//   of the select they stand for (its label, or its heading).
// A row added with "Add another" is named as it appears (a MutationObserver).
//
// Loaded, deferred, by templates/admin/base_site.html in both languages; run once the page
// has loaded, after the admin's scripts have drawn the autocompletes.
(function () {
  "use strict";

  function text(element) {
    return (element.textContent || "").replace(/\s+/g, " ").trim();
  }

  function unnamed(field) {
    if (field.type === "hidden" || field.hasAttribute("aria-label")) {
      return false;
    }
    return !(field.id && document.querySelector('label[for="' + field.id + '"]'));
  }

  // The heading of the column a tabular inline's cell ("field-claim") stands under.
  function heading(cell) {
    var match = /(?:^|\s)field-(\S+)/.exec(cell.className);
    var table = cell.closest("table");
    var th = match && table && table.querySelector("thead th.column-" + CSS.escape(match[1]));
    return th ? text(th) : "";
  }

  // A tabular inline's delete box stands under the last heading ("Delete?"), which has no
  // column class.
  function deleteHeading(cell) {
    var table = cell.closest("table");
    var heads = table ? table.querySelectorAll("thead th") : [];
    return heads.length ? text(heads[heads.length - 1]) : "";
  }

  function nameFields(root) {
    root.querySelectorAll("div.tabular td.delete").forEach(function (cell) {
      var name = deleteHeading(cell);
      cell.querySelectorAll("input[type='checkbox']").forEach(function (field) {
        if (name && unnamed(field)) {
          field.setAttribute("aria-label", name);
        }
      });
    });
    root.querySelectorAll("div.tabular td[class*='field-']").forEach(function (cell) {
      var name = heading(cell);
      if (!name) {
        return;
      }
      cell.querySelectorAll("input, select, textarea").forEach(function (field) {
        if (unnamed(field)) {
          field.setAttribute("aria-label", name);
        }
      });
    });
  }

  function nameAutocompletes(root) {
    root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var label = select.id && document.querySelector('label[for="' + select.id + '"]');
      var name = label ? text(label).replace(/:$/, "") : select.getAttribute("aria-label");
      var box = select.parentElement && select.parentElement.querySelector(
        ".select2-selection[role='combobox']"
      );
      if (name && box) {
        // Named by the field, not by the container showing its choice (empty at first);
        // that container, a read-only text box of its own, by the field as well.
        box.removeAttribute("aria-labelledby");
        box.setAttribute("aria-label", name);
        var shown = box.querySelector("[role='textbox']");
        if (shown) {
          shown.setAttribute("aria-label", name);
        }
      }
    });
  }

  function name(root) {
    nameFields(root);
    nameAutocompletes(root);
  }

  // Named at once, then whenever the page grows: a row added with "Add another", the
  // autocompletes Django then draws in it. An observer's callback runs before the next
  // task, so nothing is ever shown (or read by a screen reader) unnamed.
  function start() {
    name(document);
    new MutationObserver(function (changes) {
      if (changes.some(function (change) { return change.addedNodes.length; })) {
        name(document);
      }
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "complete") {
    start();
  } else {
    window.addEventListener("load", start);
  }
})();
