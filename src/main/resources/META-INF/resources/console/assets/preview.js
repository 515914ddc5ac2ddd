// Live preview of the widget on the assistant settings page: follows the form as the admin types.
(function () {
  const preview = document.getElementById('preview');
  if (!preview) return;
  const follow = (field, apply) => {
    const input = document.getElementById(field);
    if (input) input.addEventListener('input', () => apply(input.value));
  };
  follow('greeting', (value) => { document.getElementById('preview-greeting').textContent = value; });
  follow('widgetTitle', (value) => { document.getElementById('preview-title').textContent = value || 'Support'; });
  follow('widgetColour', (value) => { preview.style.setProperty('--widget-colour', value); });
  const position = document.getElementById('widgetPosition');
  position.addEventListener('change', () => { preview.dataset.position = position.value; });
})();
