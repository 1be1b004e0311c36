/* When an htmx request answers an error (4xx, 5xx) or cannot reach the server, htmx swaps
   nothing: show the server's short message (a text/plain answer) in the page's live region,
   #htmx-error in base.html, or else its translated fallback text. No dependency. */
(function () {
  "use strict";
  var MAX = 300;

  function region() {
    return document.getElementById("htmx-error");
  }

  function show(text) {
    var box = region();
    if (!box) {
      return;
    }
    box.textContent = text;
  }

  function serverMessage(xhr) {
    var type = xhr.getResponseHeader("Content-Type") || "";
    if (type.indexOf("text/plain") !== 0) {
      return "";
    }
    var text = (xhr.responseText || "").trim();
    return text.length > MAX ? text.slice(0, MAX) + "…" : text;
  }

  document.addEventListener("htmx:responseError", function (event) {
    var box = region();
    if (!box) {
      return;
    }
    var xhr = event.detail.xhr;
    var text = serverMessage(xhr);
    if (!text) {
      text = (box.getAttribute("data-fallback") || "") + " (" + xhr.status + ")";
    }
    show(text);
  });

  document.addEventListener("htmx:sendError", function () {
    var box = region();
    if (box) {
      show(box.getAttribute("data-offline") || "");
    }
  });

  // A new request clears the last message; so does activating it.
  document.addEventListener("htmx:beforeRequest", function () {
    show("");
  });
  document.addEventListener("click", function (event) {
    if (event.target === region()) {
      show("");
    }
  });
})();
