// Suggests members' handles while someone types "@" and a few letters in a forum text box. Without
// JavaScript, typing @handle works the same: this only helps find the handle.
(function () {
  "use strict";
  var boxes = document.querySelectorAll("textarea[data-mentions]");
  Array.prototype.forEach.call(boxes, function (box) {
    var list = document.createElement("ul");
    var status = document.createElement("p");
    var timer = null;
    list.className = "mention-list";
    list.id = box.id + "-mentions";
    list.hidden = true;
    box.setAttribute("aria-controls", list.id);
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    box.parentNode.appendChild(status);
    box.parentNode.appendChild(list);

    function typed() {
      var before = box.value.slice(0, box.selectionStart);
      var match = /(^|[\s(])@([a-z0-9_-]{2,40})$/i.exec(before);
      return match ? match[2] : null;
    }

    function close() {
      list.hidden = true;
      list.innerHTML = "";
    }

    function choose(handle) {
      var caret = box.selectionStart;
      var before = box.value.slice(0, caret).replace(/@[a-z0-9_-]*$/i, "@" + handle + " ");
      box.value = before + box.value.slice(caret);
      box.focus();
      box.setSelectionRange(before.length, before.length);
      close();
      status.textContent = "@" + handle + " added.";
    }

    function show(people) {
      list.innerHTML = "";
      people.forEach(function (person) {
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "link-button";
        button.textContent = person.name + " (@" + person.handle + ")";
        button.addEventListener("click", function () { choose(person.handle); });
        item.appendChild(button);
        list.appendChild(item);
      });
      list.hidden = people.length === 0;
      status.textContent = people.length
        ? people.length + " member" + (people.length === 1 ? "" : "s") + " found: press the down arrow to choose one."
        : "";
    }

    box.addEventListener("input", function () {
      var word = typed();
      window.clearTimeout(timer);
      if (!word) { close(); return; }
      timer = window.setTimeout(function () {
        fetch(box.getAttribute("data-mentions") + "?q=" + encodeURIComponent(word), {
          credentials: "same-origin", headers: { "Accept": "application/json" }
        })
          .then(function (response) { return response.ok ? response.json() : { people: [] }; })
          .then(function (data) { if (typed() === word) { show(data.people || []); } })
          .catch(close);
      }, 200);
    });
    box.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { close(); }
      if (event.key === "ArrowDown" && !list.hidden) {
        event.preventDefault();
        list.querySelector("button").focus();
      }
    });
    list.addEventListener("keydown", function (event) {
      var buttons = Array.prototype.slice.call(list.querySelectorAll("button"));
      var at = buttons.indexOf(document.activeElement);
      if (event.key === "Escape") { close(); box.focus(); }
      if (event.key === "ArrowDown" && at < buttons.length - 1) { event.preventDefault(); buttons[at + 1].focus(); }
      if (event.key === "ArrowUp") { event.preventDefault(); (at > 0 ? buttons[at - 1] : box).focus(); }
    });
  });
})();
