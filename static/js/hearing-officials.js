// Suggestions for the officials' boxes of the admin's "Add a hearing" form: perpetrators
// found by the people search fill the page's <datalist>. Without JavaScript the same boxes
// take a ref or a new official's name.
(function () {
  "use strict";
  var list = document.getElementById("hearing-officials");
  if (!list) { return; }
  var url = list.getAttribute("data-url");
  var timer = null;
  function suggest(box) {
    var term = box.value.trim();
    if (term.length < 2 || term.indexOf("—") !== -1) { return; }
    fetch(url + "?term=" + encodeURIComponent(term), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) {
        while (list.firstChild) { list.removeChild(list.firstChild); }
        data.results.forEach(function (item) {
          var option = document.createElement("option");
          option.value = item.value;
          list.appendChild(option);
        });
      })
      .catch(function () { /* no suggestions: the box still takes a ref or a name */ });
  }
  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("input[list='hearing-officials']")) { return; }
    clearTimeout(timer);
    timer = setTimeout(function () { suggest(box); }, 250);
  });
}());
