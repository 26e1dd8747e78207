// Ateb agent workspace keyboard shortcuts. They act on the page's own elements (data attributes), so the same keys
// work whatever Blazor re-renders; they never fire while the agent is typing in a field.
(() => {
  const typing = (el) => el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  const rows = () => [...document.querySelectorAll('[data-row] a[data-open]')];
  let pendingG = false;

  function moveRow(step) {
    const links = rows();
    if (links.length === 0) return;
    const at = links.indexOf(document.activeElement);
    const next = links[Math.min(links.length - 1, Math.max(0, at < 0 ? 0 : at + step))];
    next.focus();
    next.scrollIntoView({ block: 'nearest' });
  }

  document.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && e.target.closest && e.target.closest('[data-composer]')) {
      e.preventDefault();
      document.querySelector('[data-composer] [data-send]')?.click();
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    if (pendingG) {
      pendingG = false;
      if (e.key === 'i') { e.preventDefault(); document.querySelector('a.brand')?.click(); }
      if (e.key === 'c') { e.preventDefault(); document.querySelector('[data-testid=nav-chats]')?.click(); }
      return;
    }
    switch (e.key) {
      case '/': e.preventDefault(); document.getElementById('global-search')?.focus(); break;
      case 'j': e.preventDefault(); moveRow(1); break;
      case 'k': e.preventDefault(); moveRow(-1); break;
      case 'x': {
        const row = document.activeElement?.closest('[data-row]');
        row?.querySelector('input[type=checkbox]')?.click();
        break;
      }
      case 'r': document.querySelector('[data-action=reply], [data-action=chat-reply]')?.click(); e.preventDefault(); break;
      case 'n': document.querySelector('[data-action=note], [data-action=chat-note]')?.click(); e.preventDefault(); break;
      case 'a': {
        const accept = document.querySelector('[data-testid=chat-offers] [data-action=accept-offer]');
        if (accept) { e.preventDefault(); accept.click(); }
        break;
      }
      case 'g': pendingG = true; setTimeout(() => { pendingG = false; }, 1000); break;
      case '?': document.getElementById('keyboard-help')?.showModal(); break;
    }
  });

  // Focus the composer after "r"/"n" switch its mode.
  window.atebFocus = (selector) => document.querySelector(selector)?.focus();

  // Copies a read-only field (a secret shown once); false when the browser refuses, so the page can say "copy it yourself".
  window.atebCopy = async (id) => {
    const field = document.getElementById(id);
    if (!field) return false;
    field.focus();
    field.select();
    try {
      await navigator.clipboard.writeText(field.value);
      return true;
    } catch {
      try { return document.execCommand('copy'); } catch { return false; }
    }
  };
})();

// Date picker grids: arrows, Page Up/Down and Home/End move between days, so they must not scroll the page too; the grid
// handles Enter itself, so the day button's own click must not fire a second time.
{
    const dateGridKeys = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'PageUp', 'PageDown', 'Home', 'End', 'Enter']);
    document.addEventListener('keydown', (event) => {
        if (dateGridKeys.has(event.key) && event.target instanceof Element && event.target.closest('[data-date-grid]')) {
            event.preventDefault();
        }
    });
}

// Inserts text (a placeholder) at the caret of a text box, as if typed: Blazor's input binding sees the new value.
window.atebInsert = (id, text) => {
    const field = document.getElementById(id);
    if (!field) return;
    const start = field.selectionStart ?? field.value.length;
    const end = field.selectionEnd ?? start;
    field.setRangeText(text, start, end, 'end');
    field.dispatchEvent(new Event('input', { bubbles: true }));
    field.focus();
};

// Live chat. In the chat composer Enter sends and Shift+Enter starts a new line (not while an input method composes).
document.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' || e.shiftKey || e.isComposing || e.altKey) return;
    const composer = e.target instanceof Element && e.target.tagName === 'TEXTAREA' ? e.target.closest('[data-chat-composer]') : null;
    if (!composer) return;
    e.preventDefault();
    composer.querySelector('[data-chat-send]')?.click();
});

// A chat offer puts "(1) " before the tab's title, whatever title the page sets later; an empty cue takes it away.
{
    let cue = '';
    let shown = '';
    const apply = () => {
        let title = document.title;
        if (shown && title.startsWith(shown)) title = title.slice(shown.length);
        shown = cue;
        if (document.title !== cue + title) document.title = cue + title;
    };
    new MutationObserver(apply).observe(document.head, { subtree: true, childList: true, characterData: true });
    window.atebTitleCue = (text) => { cue = text || ''; apply(); };
}

// A new chat offer: a short chime (unless this browser's agent turned it off) and, when the tab is hidden and the agent
// allowed it, a desktop notification that brings the tab back. Both are this browser's choices (localStorage).
{
    const soundKey = 'ateb.offerSound';
    let audio = null;
    const chime = () => {
        try {
            audio ??= new AudioContext();
            if (audio.state === 'suspended') audio.resume();
            const start = audio.currentTime;
            [[660, 0], [880, 0.16]].forEach(([hz, at]) => {
                const tone = audio.createOscillator();
                const gain = audio.createGain();
                tone.frequency.value = hz;
                gain.gain.setValueAtTime(0.0001, start + at);
                gain.gain.exponentialRampToValueAtTime(0.25, start + at + 0.02);
                gain.gain.exponentialRampToValueAtTime(0.0001, start + at + 0.3);
                tone.connect(gain).connect(audio.destination);
                tone.start(start + at);
                tone.stop(start + at + 0.32);
            });
            window.atebChimes = (window.atebChimes || 0) + 1;
        } catch { /* no audio here: the visual offer stays */ }
    };
    const desktop = () => ('Notification' in window) ? Notification.permission : 'unsupported';
    window.atebAlertSettings = () => ({ sound: localStorage.getItem(soundKey) !== 'off', desktop: desktop() });
    window.atebSetOfferSound = (on) => { localStorage.setItem(soundKey, on ? 'on' : 'off'); if (on) chime(); };
    window.atebAskDesktop = async () => ('Notification' in window) ? await Notification.requestPermission() : 'unsupported';
    window.atebOfferAlert = (title, body) => {
        if (localStorage.getItem(soundKey) !== 'off') chime();
        if (document.visibilityState === 'hidden' && desktop() === 'granted') {
            try {
                const note = new Notification(title, { body: body || '', tag: 'ateb-chat-offer', lang: document.documentElement.lang, dir: 'auto' });
                note.onclick = () => { window.focus(); note.close(); };
            } catch { /* some browsers only allow notifications from a service worker */ }
        }
    };
}

// Keeps the newest chat message in view, unless the agent scrolled up to read older ones.
window.atebScrollEnd = (selector) => {
    const log = document.querySelector(selector);
    if (!log) return;
    const first = !log.dataset.scrolled;
    log.dataset.scrolled = '1';
    if (first || log.scrollHeight - log.scrollTop - log.clientHeight < 160) log.scrollTop = log.scrollHeight;
};

// Tells the open chat page whether the agent can see it (messages count as read only then).
{
    let page = null;
    document.addEventListener('visibilitychange', () => page?.invokeMethodAsync('VisibilityChanged', document.visibilityState === 'visible').catch(() => {}));
    window.atebVisibility = (current) => { page = current; return document.visibilityState === 'visible'; };
}
