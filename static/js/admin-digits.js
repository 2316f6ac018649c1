// The admin's counts in the reader's digits. Django's admin scripts write the numbers
// they count through the JavaScript catalogue's interpolate(): the actions bar's
// "%(sel)s of %(cnt)s selected" (actions.js), the chosen items of a two-box selector
// (SelectFilter2.js). On a Persian page (<html lang="fa">) each number filled in is
// written as archive/core/digits.py writes numbers on the server: Persian digits, the
// Persian thousands separator ("۲ از ۱٬۲۳۴ انتخاب شده‌اند", not "2 از 1234"). Text
// filled in (a field's name, an element's id in a selector) is left as it is.
//
// Loaded, deferred, by templates/admin/base_site.html on Persian pages: after every
// script of the page's head (the catalogue among them), before the admin's scripts
// first count (on DOMContentLoaded).
(function () {
  "use strict";
  var lang = document.documentElement.lang || "";
  if (lang !== "fa" && lang.indexOf("fa-") !== 0) { return; }
  // The catalogue's interpolate() as the admin's scripts call it: the global one (the
  // admin's jquery.init.js replaces window.django, and django.interpolate with it).
  var interpolate = window.interpolate;
  if (typeof interpolate !== "function") { return; }  // a page without the catalogue

  var DIGITS = "۰۱۲۳۴۵۶۷۸۹";
  var SEPARATORS = { ",": "٬", ".": "٫" };

  function persianNumber(value) {
    var text = String(value);
    if (Number.isInteger(value)) {
      text = text.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    }
    return text.replace(/[0-9.,]/g, function (c) {
      return SEPARATORS[c] || DIGITS.charAt(Number(c));
    });
  }

  function shown(value) {
    return typeof value === "number" && isFinite(value) ? persianNumber(value) : value;
  }

  function inReadersDigits(values) {
    if (Array.isArray(values)) { return values.map(shown); }
    if (!values || typeof values !== "object") { return values; }
    var out = {};
    Object.keys(values).forEach(function (key) { out[key] = shown(values[key]); });
    return out;
  }

  window.interpolate = function (fmt, obj, named) {
    return interpolate(fmt, inReadersDigits(obj), named);
  };
}());
