// Ingot's only script: progressive enhancement. Every page works without it.
// - [data-poll]: reloads its own fragment every data-poll-ms until the fragment says it is final
//   (data-final), so long operations show live progress.
// - [data-copy]: a button that copies the text of the element named by its data-copy id.
(function () {
  "use strict";

  function poll(region) {
    var url = region.getAttribute("data-poll");
    var every = parseInt(region.getAttribute("data-poll-ms") || "2000", 10);
    function tick() {
      fetch(url, { headers: { "X-Fragment": "1" }, credentials: "same-origin", redirect: "manual" })
        .then(function (response) {
          // Sent elsewhere (the session ended): stop, rather than paste the log-in page here.
          if (response.type === "opaqueredirect") { return null; }
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.text();
        })
        .then(function (html) {
          if (html === null) { return; }
          if (html !== region.innerHTML) {
            region.innerHTML = html;
            wireCopy(region);
          }
          if (!region.querySelector("[data-final]")) { setTimeout(tick, every); }
        })
        .catch(function () { setTimeout(tick, every * 2); });
    }
    if (!region.querySelector("[data-final]")) { setTimeout(tick, every); }
  }

  function wireCopy(root) {
    root.querySelectorAll("[data-copy]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var source = document.getElementById(button.getAttribute("data-copy"));
        if (!source || !navigator.clipboard) { return; }
        navigator.clipboard.writeText(source.textContent.trim()).then(function () {
          var label = button.textContent;
          button.textContent = "Copied";
          setTimeout(function () { button.textContent = label; }, 1500);
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-poll]").forEach(poll);
    wireCopy(document);
  });
})();
