// Live inbox: refetch the server-rendered part of the page whenever the server reports a change
// to one of the tenant's conversations (or to this conversation, on a conversation page).
(function () {
  const live = document.querySelector('[data-live]');
  if (!live) return;
  const only = live.dataset.conversation;
  let refreshing = Promise.resolve();
  function refresh() {
    refreshing = refreshing.then(async () => {
      const response = await fetch(live.dataset.fragment, { headers: { Accept: 'text/html' } });
      if (response.ok) live.innerHTML = await response.text();
    }).catch(() => {});
  }
  const events = new EventSource(live.dataset.events);
  events.onmessage = (event) => {
    if (event.data === 'heartbeat') return;
    if (!only || event.data === only) refresh();
  };
})();
