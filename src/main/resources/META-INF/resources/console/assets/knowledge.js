// While an import runs, the progress bar follows it; once it is done the list reloads with the new articles.
(function () {
  let progress = document.getElementById('progress');
  if (!progress || progress.dataset.state !== 'RUNNING') return;
  const url = progress.dataset.progress;
  const timer = setInterval(async () => {
    const response = await fetch(url, { headers: { Accept: 'text/html' } });
    if (!response.ok) return;
    progress.outerHTML = await response.text();
    progress = document.getElementById('progress');
    if (progress.dataset.state !== 'RUNNING') {
      clearInterval(timer);
      window.location.reload();
    }
  }, 500);
})();
