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
// Share boxes on public news pages: the button copies the post's address (to paste into Zalo or
// any chat); without script the address is still there to select.
document.addEventListener('click', (event) => {
  const button = event.target.closest && event.target.closest('button[data-copy]');
  if (!button) return;
  const input = document.getElementById(button.dataset.copy);
  if (!input) return;
  input.select();
  if (navigator.clipboard) navigator.clipboard.writeText(input.value).then(() => { button.textContent = button.dataset.done; });
});
