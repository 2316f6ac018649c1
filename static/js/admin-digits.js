// The admin's numbers in the reader's digits. On a Persian page (<html lang="fa">) each
// number Django's admin scripts write is written as archive/core/digits.py writes numbers
// on the server: Persian digits, and a count with the Persian thousands separator.
//
// - Counts: the admin's scripts write them through the JavaScript catalogue's
//   interpolate(): the actions bar's "%(sel)s of %(cnt)s selected" (actions.js), the
//   chosen items of a two-box selector (SelectFilter2.js), the clock's time-zone note
//   (DateTimeShortcuts.js): "۲ از ۱٬۲۳۴ انتخاب شده‌اند", not "2 از 1234". Text filled in
//   (a field's name, an element's id in a selector) is left as it is.
// - The calendar beside a date field (calendar.js, opened by DateTimeShortcuts.js): its
//   caption's year and its days ("آگوست ۱۹۸۸", days ۱ to ۳۱). A day picked is read back
//   in ASCII digits, so the date written into the field is the one Django writes
//   ("1988-08-15"), the one the form reads (which reads Persian digits too).
// - A date box's own value: the server writes it in Persian digits ("۱۹۸۸-۰۸-۱۵"), and
//   DateTimeShortcuts.js reads it (String.prototype.strptime, core.js) to open the
//   calendar on its month; strptime read ASCII digits only, and the calendar opened on
//   the current month.
//
// Loaded, deferred, by templates/admin/base_site.html on Persian pages: after every
// script of the page's head (the catalogue, core.js, the form's calendar.js), before
// the admin's scripts first count (on DOMContentLoaded) or draw a calendar (on a click).
(function () {
  "use strict";
  var lang = document.documentElement.lang || "";
  if (lang !== "fa" && lang.indexOf("fa-") !== 0) { return; }

  var DIGITS = "۰۱۲۳۴۵۶۷۸۹";
  var SEPARATORS = { ",": "٬", ".": "٫" };

  // archive.core.digits.persian_digits: the ASCII digits of a text in Persian digits.
  function persianDigits(text) {
    return String(text).replace(/[0-9]/g, function (c) { return DIGITS.charAt(Number(c)); });
  }

  // archive.core.digits.ascii_digits: Persian and Arabic-Indic digits read as ASCII.
  function asciiDigits(text) {
    return String(text).replace(/[\u06F0-\u06F9\u0660-\u0669]/g, function (c) {
      return String(c.charCodeAt(0) & 0xF);
    });
  }

  // archive.core.digits.number: a count grouped by thousands, in Persian digits.
  function persianNumber(value) {
    var text = String(value);
    if (Number.isInteger(value)) {
      text = text.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    }
    return text.replace(/[0-9.,]/g, function (c) {
      return SEPARATORS[c] || DIGITS.charAt(Number(c));
    });
  }

  // --- Counts: the catalogue's interpolate() as the admin's scripts call it, the global
  // one (the admin's jquery.init.js replaces window.django, and django.interpolate with it).
  var interpolate = window.interpolate;
  if (typeof interpolate === "function") {
    var shown = function (value) {
      return typeof value === "number" && isFinite(value) ? persianNumber(value) : value;
    };
    var inReadersDigits = function (values) {
      if (Array.isArray(values)) { return values.map(shown); }
      if (!values || typeof values !== "object") { return values; }
      var out = {};
      Object.keys(values).forEach(function (key) { out[key] = shown(values[key]); });
      return out;
    };
    window.interpolate = function (fmt, obj, named) {
      return interpolate(fmt, inReadersDigits(obj), named);
    };
  }

  // --- A date box's value read in either script's digits.
  var strptime = String.prototype.strptime;
  if (typeof strptime === "function") {
    String.prototype.strptime = function (format) {
      return strptime.call(asciiDigits(this), format);
    };
  }

  // --- The calendar: calendar.js draws a month (a caption, a link for each day) in the
  // element it is given, and a day's link calls back with the link's own text as the day.
  var calendar = window.CalendarNamespace;
  if (calendar && typeof calendar.draw === "function") {
    var draw = calendar.draw;
    calendar.draw = function (month, year, divId, callback, selected) {
      var picked = function (y, m, day) { return callback(y, m, asciiDigits(day)); };
      var result = draw.call(this, month, year, divId, picked, selected);
      var box = document.getElementById(divId);
      if (box) {
        var walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
        for (var node = walker.nextNode(); node; node = walker.nextNode()) {
          if (/[0-9]/.test(node.nodeValue)) { node.nodeValue = persianDigits(node.nodeValue); }
        }
      }
      return result;
    };
  }
}());
