// Live preview of the widget on the assistant settings page: follows the form as the admin types,
// starting from what the form holds when the script runs (typed already, or restored by the browser).
(function () {
  const preview = document.getElementById('preview');
  if (!preview) return;
  const follow = (field, event, apply) => {
    const input = document.getElementById(field);
    if (!input) return;
    apply(input.value);
    input.addEventListener(event, () => apply(input.value));
  };
  follow('greeting', 'input', (value) => { document.getElementById('preview-greeting').textContent = value; });
  follow('widgetTitle', 'input', (value) => { document.getElementById('preview-title').textContent = value || 'Support'; });
  follow('widgetColour', 'input', (value) => { preview.style.setProperty('--widget-colour', value); });
  follow('widgetPosition', 'change', (value) => { preview.dataset.position = value; });
})();
