/*
 * Switchboard chat widget. Install with one tag:
 *   <script src="https://<switchboard-host>/widget.js" data-tenant="<slug>" async></script>
 * Vanilla JS in a shadow root: it neither reads nor changes the host page's CSS or globals,
 * except window.Switchboard. Model and agent text is rendered from text nodes only.
 */
(function () {
  'use strict';
  if (window.Switchboard) return;

  var script = document.currentScript || document.querySelector('script[src*="widget.js"][data-tenant]');
  var tenant = script && script.getAttribute('data-tenant');
  if (!tenant) return;
  var base = new URL(script.src, location.href);
  var api = base.origin + '/api/v1/widget/' + encodeURIComponent(tenant) + '/conversations';
  var storageKey = 'switchboard:' + tenant;
  /* The tenant's look comes from its configuration; data-title and data-colour on the tag override it. */
  var title = 'Support';
  var colour = '#2454d6';
  var side = 'right';
  var COLOUR = /^#[0-9a-fA-F]{6}$/;
  /* The widget's own words, in the tenant's language (widget.look.language, or data-language on the tag). */
  var WORDS = {
    en: ["Open chat", "Close chat", "Talk to a person", "Your message", "Type your question…", "Send", "Assistant is typing…", "Connecting…", "Reconnecting…", "This chat is not available here.", "This chat is not available on this site.", "Please sign in to chat with us.", "Could not start the chat: ", "Helpful?", "Yes", "No", "Helpful", "Not helpful", "Thanks!", "Sorry about that.", "Your email", "Your email, for our reply", "Leave email", "Conversation", "Waiting for a person from the team…", "A person from the team is here.", "This conversation is closed.", "Please check and confirm", "Confirm", "Decline"],
    es: ["Abrir chat", "Cerrar chat", "Hablar con una persona", "Tu mensaje", "Escribe tu pregunta…", "Enviar", "El asistente está escribiendo…", "Conectando…", "Reconectando…", "Este chat no está disponible aquí.", "Este chat no está disponible en este sitio.", "Inicia sesión para chatear con nosotros.", "No se pudo iniciar el chat: ", "¿Te ayudó?", "Sí", "No", "Útil", "No útil", "¡Gracias!", "Lo sentimos.", "Tu correo", "Tu correo, para responderte", "Dejar correo", "Conversación", "Esperando a una persona del equipo…", "Una persona del equipo está aquí.", "Esta conversación está cerrada.", "Revisa y confirma", "Confirmar", "Rechazar"],
    fr: ["Ouvrir le chat", "Fermer le chat", "Parler à une personne", "Votre message", "Posez votre question…", "Envoyer", "L’assistant écrit…", "Connexion…", "Reconnexion…", "Ce chat n’est pas disponible ici.", "Ce chat n’est pas disponible sur ce site.", "Connectez-vous pour discuter avec nous.", "Impossible de démarrer le chat : ", "Utile ?", "Oui", "Non", "Utile", "Pas utile", "Merci !", "Désolé.", "Votre e-mail", "Votre e-mail, pour notre réponse", "Laisser mon e-mail", "Conversation", "En attente d’une personne de l’équipe…", "Une personne de l’équipe est là.", "Cette conversation est fermée.", "Vérifiez et confirmez", "Confirmer", "Refuser"],
    de: ["Chat öffnen", "Chat schließen", "Mit einer Person sprechen", "Ihre Nachricht", "Ihre Frage…", "Senden", "Der Assistent schreibt…", "Verbinde…", "Verbindung wird wiederhergestellt…", "Dieser Chat ist hier nicht verfügbar.", "Dieser Chat ist auf dieser Website nicht verfügbar.", "Bitte melden Sie sich an, um mit uns zu chatten.", "Chat konnte nicht starten: ", "Hilfreich?", "Ja", "Nein", "Hilfreich", "Nicht hilfreich", "Danke!", "Das tut uns leid.", "Ihre E-Mail", "Ihre E-Mail für unsere Antwort", "E-Mail hinterlassen", "Unterhaltung", "Warten auf eine Person aus dem Team…", "Eine Person aus dem Team ist da.", "Diese Unterhaltung ist geschlossen.", "Bitte prüfen und bestätigen", "Bestätigen", "Ablehnen"],
    zh: ["打开聊天", "关闭聊天", "联系人工客服", "您的消息", "请输入您的问题…", "发送", "助手正在输入…", "正在连接…", "正在重新连接…", "此处无法使用此聊天。", "此网站无法使用此聊天。", "请登录后与我们聊天。", "无法开始聊天：", "有帮助吗？", "是", "否", "有帮助", "没有帮助", "谢谢！", "很抱歉。", "您的邮箱", "您的邮箱，以便我们回复", "留下邮箱", "对话", "正在等待团队成员…", "团队成员已加入。", "此对话已关闭。", "请核对并确认", "确认", "拒绝"]
  };
  var KEYS = ["open", "close", "person", "message", "placeholder", "send", "typing", "connecting", "reconnecting", "unavailable", "elsewhere", "signin", "failed", "helpful", "yes", "no", "helpfulLabel", "unhelpfulLabel", "thanks", "sorry", "email", "emailPlaceholder", "leaveEmail", "log", "PENDING_HUMAN", "HUMAN", "CLOSED", "check", "confirm", "decline"];
  var language = 'en';
  function t(key) { return (WORDS[language] || WORDS.en)[KEYS.indexOf(key)]; }

  var listeners = {};
  var user = null;
  var userHash = null;
  var userJwt = null;
  var session = null;
  var socket = null;
  var retry = 0;
  var lastSeq = 0;
  var streaming = null;
  var ui = null;
  var lastState = 'BOT';
  var pending = [];
  var shownActions = {};

  function emit(name, detail) { (listeners[name] || []).forEach(function (fn) { try { fn(detail); } catch (e) { /* a host handler must not break the widget */ } }); }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }

  /*
   * A small markdown subset from text nodes: **bold**, [label](URL), line breaks kept by CSS.
   * The server's output guard (MarkupCleaner.WIDGET_LINK, SAFE_URL) reads links with these same
   * two patterns, so only a link it checked can become clickable here.
   */
  var SAFE_URL = /^https?:\/\/[a-z0-9.-]+(?::[0-9]{1,5})?(?:[\/?#][^\s<>"'`\\]*)?$/i;
  function renderText(target, text) {
    target.replaceChildren();
    var pattern = /\*\*([^*]+)\*\*|\[([^\[\]]+)\]\(([^()\s]+)\)/g;
    var at = 0, match;
    while ((match = pattern.exec(text)) !== null) {
      target.appendChild(document.createTextNode(text.slice(at, match.index)));
      if (match[1] !== undefined) {
        target.appendChild(el('strong', {}, match[1]));
      } else if (SAFE_URL.test(match[3])) {
        target.appendChild(el('a', { href: match[3], target: '_blank', rel: 'noopener noreferrer nofollow' }, match[2]));
      } else {
        target.appendChild(document.createTextNode(match[0]));
      }
      at = pattern.lastIndex;
    }
    target.appendChild(document.createTextNode(text.slice(at)));
  }

  /* A speech bubble drawn in SVG: no icon font or emoji font needed on the visitor's machine. */
  function chatIcon() {
    var ns = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('width', '26');
    svg.setAttribute('height', '26');
    svg.setAttribute('aria-hidden', 'true');
    var path = document.createElementNS(ns, 'path');
    path.setAttribute('d', 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z');
    path.setAttribute('fill', 'currentColor');
    svg.appendChild(path);
    return svg;
  }

  function build() {
    var host = el('div', { id: 'switchboard-widget' });
    host.style.cssText = 'all: initial; position: fixed; z-index: 2147483000; bottom: 20px; ' + side + ': 20px;';
    var root = host.attachShadow({ mode: 'open' });
    var css =
      ':host{all:initial}*{box-sizing:border-box;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif}' +
      '.launcher{width:56px;height:56px;border-radius:50%;border:0;background:' + colour + ';color:#fff;cursor:pointer;display:flex;align-items:center;justify-content:center;box-shadow:0 4px 14px rgba(0,0,0,.25)}' +
      '.launcher:focus-visible,button:focus-visible,input:focus-visible{outline:3px solid #111;outline-offset:2px}' +
      '.panel{position:absolute;bottom:70px;' + side + ':0;width:360px;max-width:calc(100vw - 40px);height:520px;max-height:calc(100vh - 110px);background:#fff;color:#1d1f23;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.25);display:flex;flex-direction:column;overflow:hidden}' +
      '.panel[hidden]{display:none}' +
      'header{display:flex;align-items:center;justify-content:space-between;padding:12px 14px;background:' + colour + ';color:#fff}' +
      'header h2{font-size:16px;margin:0}header button{background:transparent;border:0;color:#fff;font-size:20px;cursor:pointer}' +
      '.log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px}' +
      '.msg{max-width:85%;padding:8px 10px;border-radius:10px;white-space:pre-wrap;line-height:1.4;font-size:14px;overflow-wrap:anywhere}' +
      '.customer{align-self:flex-end;background:' + colour + ';color:#fff}.bot,.agent{align-self:flex-start;background:#eef0f3}' +
      '.agent{border-left:3px solid ' + colour + '}.system{align-self:center;background:#fff6db;font-size:13px}' +
      '.msg a{color:inherit}.cite{display:block;margin-top:6px;font-size:12px}' +
      '.status{min-height:18px;padding:0 12px;font-size:12px;color:#4a4f57}' +
      '.actions{padding:0 12px 6px}.human{background:transparent;border:1px solid #c8ccd2;border-radius:14px;padding:4px 10px;font-size:12px;cursor:pointer;color:#1d1f23}' +
      'form{display:flex;gap:6px;padding:8px 12px 12px;border-top:1px solid #e3e5e8}' +
      '.rate{margin:-4px 0 4px;font-size:12px;color:#4b4f56}.rate button{border:0;background:none;cursor:pointer;font-size:12px;padding:0 4px;color:#1d1f23;text-decoration:underline}' +
      '.away{display:flex;gap:6px;padding:4px 12px}' +
      '.survey{align-self:stretch;border:1px solid #c8ccd2;border-radius:10px;padding:8px 10px;font-size:14px;display:flex;flex-direction:column;gap:6px}' +
      '.survey .stars{display:flex;gap:2px}.survey .star{border:0;background:none;cursor:pointer;font-size:24px;line-height:1;padding:0 2px;color:#8b9099}' +
      '.survey .star[aria-pressed="true"]{color:#b26a00}.survey .send{align-self:flex-end}' +
      '.pending{align-self:stretch;border:1px solid #c8ccd2;border-radius:10px;padding:8px 10px;font-size:14px;display:flex;flex-direction:column;gap:8px}' +
      '.pending p{margin:0;overflow-wrap:anywhere}.pending div{display:flex;gap:6px}button:disabled{opacity:.55;cursor:default}' +
      'input{flex:1;padding:8px 10px;border:1px solid #8b9099;border-radius:8px;font-size:14px;color:#1d1f23}' +
      '.send{padding:8px 12px;border:0;border-radius:8px;background:' + colour + ';color:#fff;cursor:pointer}' +
      '@media (max-width:480px){.panel{position:fixed;inset:0;width:100vw;height:100vh;max-width:none;max-height:none;border-radius:0}}';
    var launcher = el('button', { class: 'launcher', type: 'button', 'aria-label': t('open'), 'aria-expanded': 'false' });
    launcher.appendChild(chatIcon());
    var panel = el('section', { class: 'panel', role: 'dialog', 'aria-label': title, lang: language, hidden: '' });
    var header = el('header');
    header.appendChild(el('h2', {}, title));
    var closeButton = el('button', { type: 'button', 'aria-label': t('close') }, '×');
    header.appendChild(closeButton);
    var log = el('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-label': t('log') });
    var status = el('div', { class: 'status', 'aria-live': 'polite' });
    var actions = el('div', { class: 'actions' });
    var human = el('button', { class: 'human', type: 'button' }, t('person'));
    actions.appendChild(human);
    var form = el('form');
    var input = el('input', { name: 'text', maxlength: '4000', autocomplete: 'off', 'aria-label': t('message'), placeholder: t('placeholder') });
    var send = el('button', { class: 'send', type: 'submit' }, t('send'));
    form.appendChild(input);
    form.appendChild(send);
    [header, log, status, actions, form].forEach(function (n) { panel.appendChild(n); });
    /* A constructed style sheet: nothing a page's Content-Security-Policy (style-src) has to allow inline. */
    if (root.adoptedStyleSheets && typeof CSSStyleSheet === 'function' && CSSStyleSheet.prototype.replaceSync) {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      root.adoptedStyleSheets = [sheet];
    } else {
      root.appendChild(el('style', {}, css));
    }
    root.appendChild(panel);
    root.appendChild(launcher);
    document.body.appendChild(host);

    launcher.addEventListener('click', function () { panel.hidden ? open() : close(); });
    closeButton.addEventListener('click', close);
    panel.addEventListener('keydown', function (e) { if (e.key === 'Escape') close(); });
    human.addEventListener('click', function () { sendFrame({ type: 'handoff' }); });
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var text = input.value.trim();
      if (!text) return;
      if (sendFrame({ type: 'message', text: text })) {
        input.value = '';
        status.textContent = t('typing');
      }
    });
    return { root: root, launcher: launcher, panel: panel, log: log, status: status, input: input };
  }

  function bubble(role, text) {
    var div = el('div', { class: 'msg ' + role });
    renderText(div, text);
    ui.log.appendChild(div);
    ui.log.scrollTop = ui.log.scrollHeight;
    return div;
  }

  function render(message) {
    if (message.seq && message.seq <= lastSeq) return;
    if (message.seq) lastSeq = message.seq;
    var div = bubble(message.role, message.text);
    (message.citations || []).forEach(function (c) {
      if (c.url && /^https?:\/\//i.test(c.url)) {
        div.appendChild(el('a', { class: 'cite', href: c.url, target: '_blank', rel: 'noopener noreferrer' }, 'Source: ' + c.title));
      }
    });
    if (message.role === 'bot' && message.id) ui.log.appendChild(feedbackButtons(message.id));
    emit('message', message);
  }

  /* Out of business hours: the customer may leave an email for the team to answer. */
  function offerEmail() {
    if (ui.panel.querySelector('.away')) return;
    var form = el('form', { class: 'away' });
    var email = el('input', { type: 'email', name: 'email', required: '', maxlength: '254', autocomplete: 'email',
      'aria-label': t('email'), placeholder: t('emailPlaceholder') });
    form.appendChild(email);
    form.appendChild(el('button', { class: 'send', type: 'submit' }, t('leaveEmail')));
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      if (!email.value.trim()) return;
      sendFrame({ type: 'email', email: email.value.trim() });
      form.remove();
    });
    ui.panel.insertBefore(form, ui.panel.lastChild);
  }

  /* Two answers in a row marked unhelpful bring a person in (the tenant may change the number). */
  function feedbackButtons(messageId) {
    var row = el('div', { class: 'rate', role: 'group', 'aria-label': t('helpful') });
    row.appendChild(el('span', {}, t('helpful')));
    [[t('helpfulLabel'), true], [t('unhelpfulLabel'), false]].forEach(function (choice) {
      var button = el('button', { type: 'button', 'aria-label': choice[0] }, choice[1] ? t('yes') : t('no'));
      button.addEventListener('click', function () {
        row.replaceChildren(el('span', {}, choice[1] ? t('thanks') : t('sorry')));
        /* A helpful answer may resolve the conversation: the state that follows tells whether to ask for a rating. */
        resolvedNow = choice[1];
        sendFrame({ type: 'feedback', messageId: messageId, helpful: choice[1] });
      });
      row.appendChild(button);
    });
    return row;
  }

  /*
   * "How did we do?" once a person closed the conversation or the assistant resolved it (an answer
   * marked helpful): the server says whether to ask and gives the words in the customer's language.
   */
  var surveyShown = false;
  function askRating() {
    if (surveyShown || !session) return;
    request('GET', api + '/' + session.conversationId + '/rating').then(function (survey) {
      if (!survey.asked || survey.score || surveyShown) return;
      surveyShown = true;
      var texts = survey.texts;
      var box = el('form', { class: 'survey', 'aria-label': texts.question });
      box.appendChild(el('strong', {}, texts.question));
      var stars = el('div', { class: 'stars', role: 'group', 'aria-label': texts.question });
      var score = 0;
      for (var i = 1; i <= 5; i++) {
        (function (value) {
          var star = el('button', { class: 'star', type: 'button', 'aria-pressed': 'false',
            'aria-label': texts.star.replace('{score}', String(value)) }, '\u2605');
          star.addEventListener('click', function () {
            score = value;
            Array.prototype.forEach.call(stars.children, function (other, index) {
              other.setAttribute('aria-pressed', index < value ? 'true' : 'false');
            });
          });
          stars.appendChild(star);
        })(i);
      }
      box.appendChild(stars);
      var comment = el('input', { name: 'comment', maxlength: '1000', autocomplete: 'off', 'aria-label': texts.comment, placeholder: texts.comment });
      box.appendChild(comment);
      box.appendChild(el('button', { class: 'send', type: 'submit' }, texts.send));
      box.addEventListener('submit', function (e) {
        e.preventDefault();
        if (!score) { stars.firstChild.focus(); return; }
        var body = { score: score };
        if (comment.value.trim()) body.comment = comment.value.trim();
        request('POST', api + '/' + session.conversationId + '/rating', body).then(function () {
          box.replaceChildren(el('span', { role: 'status' }, texts.thanks));
          emit('rated', body);
        }).catch(function (error) {
          if (error.status === 409) box.replaceChildren(el('span', { role: 'status' }, texts.thanks));
          else ui.status.textContent = error.message;
        });
      });
      ui.log.appendChild(box);
      ui.log.scrollTop = ui.log.scrollHeight;
    }).catch(function () { /* no survey is better than a broken widget */ });
  }

  var resolvedNow = false;

  /*
   * A write the assistant offered: the platform's summary of it, with Confirm and Decline. The
   * customer's choice is sent once; the buttons stay disabled after it, whatever the server answers.
   */
  function actionCard(action) {
    if (shownActions[action.id]) return;
    shownActions[action.id] = true;
    var card = el('div', { class: 'pending', role: 'group', 'aria-label': t('check') });
    card.appendChild(el('p', {}, action.summary));
    var row = el('div');
    [['confirm', '\u2713 '], ['decline', '\u2717 ']].forEach(function (choice) {
      var button = el('button', { type: 'button', class: choice[0] === 'confirm' ? 'send' : 'human' }, t(choice[0]));
      button.addEventListener('click', function () {
        card.querySelectorAll('button').forEach(function (b) { b.disabled = true; });
        button.setAttribute('aria-pressed', 'true');
        bubble('customer', choice[1] + action.summary);
        ui.status.textContent = t('typing');
        sendFrame({ type: choice[0], actionId: action.id });
      });
      row.appendChild(button);
    });
    card.appendChild(row);
    ui.log.appendChild(card);
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  function showState(state) {
    if (state === 'CLOSED' || (resolvedNow && state === 'BOT')) askRating();
    resolvedNow = false;
    lastState = state;
    ui.status.textContent = state === 'BOT' || !state ? '' : t(state);
    emit('state', state);
  }

  function request(method, url, body) {
    var headers = { 'Content-Type': 'application/json' };
    if (session) headers.Authorization = 'Bearer ' + session.token;
    return fetch(url, { method: method, headers: headers, body: body ? JSON.stringify(body) : undefined }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (json) {
        if (!res.ok) { var error = new Error(json.detail || ('HTTP ' + res.status)); error.status = res.status; throw error; }
        return json;
      });
    });
  }

  /* The conversation survives a reload: its token is kept per tenant in this site's storage. */
  function resume() {
    try { session = JSON.parse(localStorage.getItem(storageKey) || 'null'); } catch (e) { session = null; }
    if (!session) return start();
    return sync().catch(function (e) {
      if (e.status === 404 || e.status === 401) { session = null; localStorage.removeItem(storageKey); return start(); }
      throw e;
    });
  }

  function start() {
    return request('POST', api, user ? { user: user, userHash: userHash, userJwt: userJwt } : {}).then(function (started) {
      session = { conversationId: started.conversationId, token: started.token };
      localStorage.setItem(storageKey, JSON.stringify(session));
      /* First in the log, even when the customer typed before the conversation existed. */
      if (started.greeting) ui.log.prepend(bubble('bot', started.greeting));
    });
  }

  /* Renders whatever arrived while disconnected, exactly once (messages carry their position). */
  function sync() {
    return request('GET', api + '/' + session.conversationId).then(function (view) {
      view.messages.forEach(render);
      (view.pendingActions || []).forEach(actionCard);
      showState(view.state);
    });
  }

  function connect() {
    /* The token travels as a subprotocol, not in the URL: proxies log URLs. */
    var url = base.origin.replace(/^http/, 'ws') + '/ws/widget/' + encodeURIComponent(tenant);
    socket = new WebSocket(url, ['switchboard.v1', 'token.' + session.token]);
    socket.onopen = function () {
      if (retry > 0) sync();
      retry = 0;
      showState(lastState);
      /* What the customer typed while connecting is sent now, in order. */
      pending.splice(0).forEach(function (frame) { socket.send(JSON.stringify(frame)); });
    };
    socket.onmessage = function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      if (frame.type === 'token') {
        streaming = streaming || bubble('bot', '');
        streaming.dataset.text = (streaming.dataset.text || '') + frame.text;
        renderText(streaming, streaming.dataset.text);
        ui.log.scrollTop = ui.log.scrollHeight;
      } else if (frame.type === 'reply' || /^(agent|system|bot|customer)_message$/.test(frame.type)) {
        /* The customer's other tabs and devices see each message and answer as it is stored. */
        if (frame.type === 'reply' && streaming) { streaming.remove(); streaming = null; }
        render(frame.message);
        if (frame.type === 'reply' && frame.pendingAction) actionCard(frame.pendingAction);
      } else if (frame.type === 'state') {
        showState(frame.state);
        if (frame.away || frame.awayUntil) offerEmail();
      } else if (frame.type === 'error') {
        ui.status.textContent = (frame.problem && (frame.problem.detail || frame.problem.title)) || 'Something went wrong';
      }
    };
    socket.onclose = function (event) {
      socket = null;
      if (event.code === 1008) { ui.status.textContent = t('unavailable'); return; }
      /* 1012: the server is stopping and asks us to reconnect now (to another replica); spread the
         reconnects of all its widgets over a second, and catch up on what was said meanwhile. */
      var delay = event.code === 1012 ? Math.random() * 1000 : Math.min(30000, 1000 * Math.pow(2, retry));
      retry++;
      ui.status.textContent = t('reconnecting');
      setTimeout(connect, delay);
    };
  }

  function sendFrame(frame) {
    if (frame.type === 'message') bubble('customer', frame.text);
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(frame));
    } else {
      pending.push(frame);
      ensureStarted();
    }
    return true;
  }

  var ready = null;
  function ensureStarted() {
    if (!ready) {
      ui.status.textContent = t('connecting');
      ready = resume().then(connect).catch(function (e) {
        ready = null;
        ui.status.textContent = e.status === 403 ? t('elsewhere') : e.status === 401 ? t('signin') : t('failed') + e.message;
        emit('error', e);
      });
    }
    return ready;
  }

  function open() {
    ui.panel.hidden = false;
    ui.launcher.setAttribute('aria-expanded', 'true');
    ui.input.focus();
    ensureStarted();
    emit('open');
  }

  function close() {
    ui.panel.hidden = true;
    ui.launcher.setAttribute('aria-expanded', 'false');
    ui.launcher.focus();
    emit('close');
  }

  window.Switchboard = Object.freeze({
    open: function () { open(); },
    close: function () { close(); },
    on: function (name, fn) { (listeners[name] = listeners[name] || []).push(fn); },
    /* {id, name, email, userHash} or {userJwt}: userHash is HMAC-SHA256(id), userJwt an HS256 JWT (sub, name, email, exp),
       both signed by the site's server with the tenant's widget secret. */
    setUser: function (details) {
      user = details ? { id: details.id, name: details.name, email: details.email } : null;
      userHash = details && details.userHash ? String(details.userHash) : null;
      userJwt = details && details.userJwt ? String(details.userJwt) : null;
    }
  });

  /* White text on the colour must keep a 4.5:1 contrast (WCAG AA); a darker colour is needed otherwise. */
  function readable(hex) {
    if (!COLOUR.test(hex || '')) return false;
    var channels = [1, 3, 5].map(function (i) {
      var c = parseInt(hex.substr(i, 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    var luminance = 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
    return 1.05 / (luminance + 0.05) >= 4.5;
  }

  function applySetup(setup) {
    if (setup.title) title = String(setup.title);
    if (readable(setup.colour)) colour = setup.colour;
    if (setup.position === 'left' || setup.position === 'right') side = setup.position;
    if (WORDS[setup.language]) language = setup.language;
    if (script.getAttribute('data-title')) title = script.getAttribute('data-title');
    if (readable(script.getAttribute('data-colour'))) colour = script.getAttribute('data-colour');
    if (WORDS[script.getAttribute('data-language')]) language = script.getAttribute('data-language');
  }

  function init() {
    fetch(base.origin + '/api/v1/widget/' + encodeURIComponent(tenant) + '/setup')
      .then(function (res) { return res.ok ? res.json() : {}; })
      .catch(function () { return {}; })
      .then(function (setup) {
        applySetup(setup);
        ui = build();
        try { if (localStorage.getItem(storageKey)) ensureStarted(); } catch (e) { /* storage may be blocked */ }
      });
  }
  if (document.body) init(); else document.addEventListener('DOMContentLoaded', init);
})();
