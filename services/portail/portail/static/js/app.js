// Progressive enhancement only: every page works without JavaScript.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
// htmx requests carry the CSRF token of the page's first form.
document.addEventListener("htmx:configRequest", function (event) {
  var token = document.querySelector("input[name=csrf_token]");
  if (token) {
    event.detail.headers["X-CSRFToken"] = token.value;
  }
});
