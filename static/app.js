// Sends the session's CSRF token with every htmx request (forms carry it as a hidden field).
document.addEventListener('htmx:configRequest', (event) => {
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) event.detail.headers['X-CSRF-Token'] = meta.content;
});
// Keeps the address bar in step with the member search so a reload or a shared link shows
// the same list.
document.addEventListener('htmx:afterRequest', (event) => {
  const form = event.detail.elt.closest && event.detail.elt.closest('form.search');
  if (!form || !event.detail.successful) return;
  const params = new URLSearchParams(new FormData(form));
  for (const [k, v] of [...params]) if (!v) params.delete(k);
  const query = params.toString();
  history.replaceState(null, '', location.pathname + (query ? '?' + query : ''));
});
