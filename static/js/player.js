// The lesson player. It only reports; the server decides what counts (docs/player-protocol.md).
(() => {
  "use strict";
  const root = document.getElementById("player");
  if (!root) return;
  const video = document.getElementById("video");
  const csrfToken = document.querySelector('meta[name="csrf-token"]').content;
  const messages = JSON.parse(document.getElementById("player-messages").textContent);
  const apiRoot = root.dataset.apiRoot;
  const ui = {
    bar: document.getElementById("verified-bar"),
    text: document.getElementById("verified-text"),
    status: document.getElementById("status"),
    reconnect: document.getElementById("reconnect"),
    popup: document.getElementById("popup"),
    prompt: document.getElementById("popup-prompt"),
    choices: document.getElementById("popup-choices"),
    confirm: document.getElementById("popup-confirm"),
    complete: document.getElementById("complete"),
    completeDetail: document.getElementById("complete-detail"),
    outlineItem: document.querySelector(`[data-outline-lesson="${root.dataset.lessonId}"]`),
  };
  // A clean copy of the popup: if the one on the page is removed or hidden (devtools), this is
  // put back, since the server moves no further until the popup is confirmed.
  const popupTemplate = ui.popup.cloneNode(true);
  // Our beats were refused because another client beat on this session with a higher seq (a
  // script in the console): we reconnect on our own once; a second time so soon, the learner
  // decides, so that two clients do not take the session from each other in a loop.
  const QUIET_BEFORE_AUTO_RECONNECT_MS = 60_000;
  // how often one popup is put back before the player only explains why it waits
  const MAX_POPUP_RESTORES = 3;

  const state = {
    session: null, seq: 0, verified: 0, duration: 0, maxRate: 1, beatEvery: 5, maxLead: 12,
    popup: null, inFlight: false, stopped: false, lessonComplete: false, timer: null,
    programmaticSeek: false, reconnectedAt: -Infinity, popupRestores: 0,
  };

  const clock = (s) => {
    s = Math.max(0, Math.floor(s));
    const m = Math.floor(s / 60), r = s % 60;
    return `${m}:${String(r).padStart(2, "0")}`;
  };

  function say(text, kind = "info") {
    ui.status.textContent = text || "";
    ui.status.className = `status status-${kind}`;
  }

  function render() {
    const pct = state.duration ? Math.min(100, (100 * state.verified) / state.duration) : 0;
    ui.bar.style.width = `${pct.toFixed(1)}%`;
    ui.text.textContent = `${clock(state.verified)} / ${clock(state.duration)}`;
  }

  async function post(url, body) {
    try {
      const res = await fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken },
        body: JSON.stringify(body || {}),
      });
      let data = null;
      try { data = await res.json(); } catch (e) { data = null; }
      return { ok: res.ok, status: res.status, data };
    } catch (e) {
      return { ok: false, status: 0, data: null };
    }
  }

  function moveTo(seconds) {
    state.programmaticSeek = true;
    video.currentTime = seconds;
  }

  // How far natural playback may run ahead of what the server has verified so far.
  const slack = () => state.maxLead;

  function stop(text, { canReconnect = false } = {}) {
    state.stopped = true;
    clearInterval(state.timer);
    video.pause();
    say(text, "error");
    ui.reconnect.hidden = !canReconnect;
  }

  function handleError(res) {
    const error = res.data && res.data.error;
    if (res.status === 401) return stop(messages.login);
    if (error && (error.code === "session_ended" || error.code === "not_your_session")) {
      return stop(messages.ended_elsewhere);
    }
    // Only one beat of ours is ever in flight, each with a higher seq: a refused seq means
    // another client beat on this session. Its beats earn nothing the rules would not give us.
    if (error && error.code === "stale_seq") return sessionTakenOver();
    // a pause beat right after a timer beat: harmless
    if (error && error.code === "too_many_beats") return;
    say(error ? error.message : messages.network, "error");
  }

  function markOutlineDone() {
    const item = ui.outlineItem;
    if (!item || item.querySelector(".badge.done")) return;
    const badge = document.createElement("span");
    badge.className = "badge done";
    badge.textContent = messages.outline_done;
    item.append(" ", badge);
  }

  function showComplete() {
    state.lessonComplete = true;
    ui.complete.hidden = false;
    markOutlineDone();
  }

  function awardedText(awarded) {
    return awarded
      .map((a) => (a.hours === 1 ? messages.hours_item.one : messages.hours_item.other)
        .replace("{hours}", a.hours).replace("{name}", a.name))
      .join(messages.list_separator);
  }

  function applyReply(data) {
    state.verified = data.verified;
    render();
    if (data.popup) showPopup(data.popup);
    if (data.lesson_complete && !state.lessonComplete) {
      showComplete();
      say(""); // the box below says it; a second "completed" line would repeat it
    }
    if (data.course_complete && data.awarded && data.awarded.length) {
      ui.completeDetail.textContent = messages.course_done.replace("{hours}", awardedText(data.awarded));
    } else if (data.course_complete && !ui.completeDetail.textContent) {
      ui.completeDetail.textContent = messages.course_done_plain;
    }
    if (!state.popup && video.currentTime > state.verified + slack()) moveTo(state.verified);
  }

  async function beat() {
    if (!state.session || state.stopped || state.inFlight) return;
    state.inFlight = true;
    state.seq += 1;
    const session = state.session;
    const res = await post(`${apiRoot}/watch/${session}/beat`, {
      seq: state.seq,
      position: video.ended ? state.duration : video.currentTime,
      rate: video.playbackRate,
      hidden: document.hidden,
    });
    state.inFlight = false;
    if (session !== state.session) return; // a reply for a session we have since left
    if (res.ok) applyReply(res.data); else handleError(res);
  }

  // -- the popup ------------------------------------------------------------------------------

  function fillPopup(popup) {
    ui.prompt.textContent = popup.prompt;
    ui.choices.innerHTML = "";
    (popup.choices || []).forEach((choice, index) => {
      const label = document.createElement("label");
      label.className = "choice";
      const input = document.createElement("input");
      input.type = "radio";
      input.name = "popup-choice";
      input.value = String(index);
      label.append(input, document.createTextNode(` ${choice}`));
      ui.choices.append(label);
    });
    ui.popup.hidden = false;
    ui.confirm.focus();
  }

  function showPopup(popup) {
    if (state.popup && state.popup.id === popup.id) return; // already on screen: keep the choice
    state.popup = popup;
    state.popupRestores = 0;
    video.pause();
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
    moveTo(state.verified);
    fillPopup(popup);
  }

  function hidePopup() {
    state.popup = null;
    ui.popup.hidden = true;
  }

  function popupOnScreen() {
    const card = ui.popup;
    return root.contains(card) && card.contains(ui.prompt) && card.contains(ui.choices)
      && card.contains(ui.confirm) && !card.hidden
      && (!card.checkVisibility || card.checkVisibility({ opacityProperty: true, visibilityProperty: true }));
  }

  // Put a fresh popup back when the one owed to the learner is gone or hidden. What keeps
  // hiding it (a style sheet, an extension) we cannot undo: say so instead of trying forever.
  function restorePopup() {
    if (!state.popup || popupOnScreen()) return;
    if (state.popupRestores >= MAX_POPUP_RESTORES) return say(messages.popup_hidden, "error");
    state.popupRestores += 1;
    const fresh = popupTemplate.cloneNode(true);
    ui.popup.remove();
    root.append(fresh);
    Object.assign(ui, {
      popup: fresh,
      prompt: fresh.querySelector("#popup-prompt"),
      choices: fresh.querySelector("#popup-choices"),
      confirm: fresh.querySelector("#popup-confirm"),
    });
    fillPopup(state.popup);
    if (popupOnScreen()) return say(messages.popup_restored, "warn");
    state.popupRestores = MAX_POPUP_RESTORES;
    say(messages.popup_hidden, "error");
  }

  new MutationObserver(restorePopup).observe(root, {
    childList: true, subtree: true, attributes: true, attributeFilter: ["hidden", "style", "class"],
  });

  async function confirmPopup() {
    if (!state.popup || ui.confirm.disabled) return;
    const body = {};
    if (state.popup.kind === "question") {
      const picked = ui.choices.querySelector("input:checked");
      if (!picked) return;
      body.answer = Number(picked.value);
    }
    ui.confirm.disabled = true;
    const res = await post(`${apiRoot}/watch/${state.session}/popups/${state.popup.id}`, body);
    ui.confirm.disabled = false;
    const error = res.data && res.data.error;
    if (!res.ok && !(error && error.code === "popup_already_confirmed")) return handleError(res);
    hidePopup();
    if (!res.ok) { // confirmed already (from elsewhere on this session): nothing left to wait for
      video.play().catch(() => {});
      return;
    }
    applyReply(res.data);
    if (!res.data.confirmed) {
      // Wrong: the server moved verified back; watch that stretch again.
      moveTo(state.verified);
      say(messages.popup_wrong, "warn");
    } else if (res.data.explanation) {
      say(messages.popup_right.replace("{explanation}", res.data.explanation), "success");
    } else if (!state.lessonComplete) {
      say(""); // what was said about the popup is over
    }
    if (!state.lessonComplete) video.play().catch(() => {});
  }

  // on the player, not the button: a restored popup's button is a new element
  root.addEventListener("click", (event) => {
    if (event.target.closest("#popup-confirm")) confirmPopup();
  });

  // -- the video ------------------------------------------------------------------------------

  video.addEventListener("seeking", () => {
    if (state.programmaticSeek) { state.programmaticSeek = false; return; }
    if (video.currentTime > state.verified + 0.5) {
      moveTo(state.verified);
      say(messages.seek_blocked, "warn");
    }
  });

  video.addEventListener("ratechange", () => {
    if (video.playbackRate > state.maxRate) {
      video.playbackRate = state.maxRate;
      say(messages.rate_blocked.replace("{rate}", state.maxRate), "warn");
    }
  });

  video.addEventListener("play", () => {
    if (state.popup) {
      video.pause();
      restorePopup();
    } else if (state.stopped) {
      video.pause();
    }
  });

  video.addEventListener("timeupdate", () => {
    // Never let the picture run far ahead of the server (a stalled network, a console hack).
    if (!state.popup && video.currentTime > state.verified + 2 * slack()) {
      video.pause();
      beat();
    }
  });

  video.addEventListener("pause", () => beat());
  video.addEventListener("ended", () => beat());

  document.addEventListener("visibilitychange", () => {
    if (document.hidden && !video.paused) {
      video.pause();
      say(messages.hidden_paused, "warn");
    }
    beat();
  });

  // -- the session ----------------------------------------------------------------------------

  // Start a watch session (also a fresh one to replace a lost one); false if refused.
  async function connect() {
    state.session = null; // no beat until the new session is known
    const res = await post(root.dataset.startUrl, {});
    if (!res.ok) {
      handleError(res);
      return false;
    }
    clearInterval(state.timer);
    Object.assign(state, {
      session: res.data.session, seq: 0, verified: res.data.verified, duration: res.data.duration,
      maxRate: res.data.max_rate, beatEvery: res.data.heartbeat_every, maxLead: res.data.max_lead,
      stopped: false,
    });
    ui.reconnect.hidden = true;
    render();
    if (res.data.lesson_complete && !state.lessonComplete) showComplete();
    state.timer = setInterval(() => {
      const catchingUp = video.ended && state.verified < state.duration;
      if (!video.paused || catchingUp) beat();
    }, state.beatEvery * 1000);
    return true;
  }

  // Resume in a new session from what the server verified; an unconfirmed popup comes again
  // on that session's first beat (it is issued to one session only).
  async function reconnect() {
    hidePopup();
    state.reconnectedAt = Date.now();
    if (!(await connect())) {
      if (!state.stopped) ui.reconnect.hidden = false; // refused for now (a limit, the network)
      return false;
    }
    if (video.currentTime > state.verified + slack()) moveTo(state.verified);
    return true;
  }

  async function sessionTakenOver() {
    if (Date.now() - state.reconnectedAt < QUIET_BEFORE_AUTO_RECONNECT_MS) {
      return stop(messages.taken_over_again, { canReconnect: true });
    }
    if (await reconnect()) say(messages.taken_over, "warn");
  }

  ui.reconnect.addEventListener("click", async () => {
    ui.reconnect.hidden = true;
    if (await reconnect()) {
      // what was played since the last verified point is played again, as the message says
      if (video.currentTime > state.verified + 1) moveTo(state.verified);
      say(messages.reconnected, "success");
      video.play().catch(() => {});
    }
  });

  async function start() {
    if (!(await connect())) return;
    const startAt = root.dataset.startAt === undefined ? null : Number(root.dataset.startAt);
    const resume = () => {
      if (startAt !== null) {
        // A chapter link: go there, but never past what was already watched.
        moveTo(Math.min(startAt, state.verified));
      } else if (state.verified > 1 && state.verified < state.duration - 1) {
        moveTo(state.verified);
        say(messages.resumed.replace("{time}", clock(state.verified)));
      }
    };
    if (video.readyState >= 1) resume(); else video.addEventListener("loadedmetadata", resume, { once: true });
  }

  start();
})();
