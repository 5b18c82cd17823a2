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
    popup: document.getElementById("popup"),
    prompt: document.getElementById("popup-prompt"),
    choices: document.getElementById("popup-choices"),
    confirm: document.getElementById("popup-confirm"),
    complete: document.getElementById("complete"),
    completeDetail: document.getElementById("complete-detail"),
  };

  const state = {
    session: null, seq: 0, verified: 0, duration: 0, maxRate: 1, beatEvery: 5, maxLead: 12,
    popup: null, inFlight: false, stopped: false, lessonComplete: false, timer: null,
    programmaticSeek: false,
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

  function stop(text) {
    state.stopped = true;
    clearInterval(state.timer);
    video.pause();
    say(text, "error");
  }

  function handleError(res) {
    const error = res.data && res.data.error;
    if (res.status === 401) return stop(messages.login);
    if (error && (error.code === "session_ended" || error.code === "not_your_session")) {
      return stop(messages.ended_elsewhere);
    }
    // a late duplicate of ours, or a pause beat right after a timer beat: harmless
    if (error && (error.code === "stale_seq" || error.code === "too_many_beats")) return;
    say(error ? error.message : messages.network, "error");
  }

  function applyReply(data) {
    state.verified = data.verified;
    render();
    if (data.popup) showPopup(data.popup);
    if (data.lesson_complete && !state.lessonComplete) {
      state.lessonComplete = true;
      ui.complete.hidden = false;
      say(messages.lesson_done, "success");
    }
    if (data.course_complete && data.awarded && data.awarded.length) {
      const hours = data.awarded
        .map((a) => messages.hours_item.replace("{hours}", a.hours).replace("{name}", a.name))
        .join("，");
      ui.completeDetail.textContent = messages.course_done.replace("{hours}", hours);
    } else if (data.course_complete && !ui.completeDetail.textContent) {
      ui.completeDetail.textContent = messages.course_done_plain;
    }
    if (!state.popup && video.currentTime > state.verified + slack()) moveTo(state.verified);
  }

  async function beat() {
    if (!state.session || state.stopped || state.inFlight) return;
    state.inFlight = true;
    state.seq += 1;
    const res = await post(`${apiRoot}/watch/${state.session}/beat`, {
      seq: state.seq,
      position: video.ended ? state.duration : video.currentTime,
      rate: video.playbackRate,
      hidden: document.hidden,
    });
    state.inFlight = false;
    if (res.ok) applyReply(res.data); else handleError(res);
  }

  function showPopup(popup) {
    if (state.popup && state.popup.id === popup.id) return; // already on screen: keep the choice
    state.popup = popup;
    video.pause();
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
    moveTo(state.verified);
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

  ui.confirm.addEventListener("click", async () => {
    if (!state.popup) return;
    const body = {};
    if (state.popup.kind === "question") {
      const picked = ui.choices.querySelector("input:checked");
      if (!picked) return;
      body.answer = Number(picked.value);
    }
    ui.confirm.disabled = true;
    const res = await post(`${apiRoot}/watch/${state.session}/popups/${state.popup.id}`, body);
    ui.confirm.disabled = false;
    if (!res.ok) return handleError(res);
    state.popup = null;
    ui.popup.hidden = true;
    applyReply(res.data);
    if (!res.data.confirmed) {
      // Wrong: the server moved verified back; watch that stretch again.
      moveTo(state.verified);
      say(messages.popup_wrong, "warn");
    } else if (res.data.explanation) {
      say(messages.popup_right.replace("{explanation}", res.data.explanation), "success");
    }
    if (!state.lessonComplete) video.play().catch(() => {});
  });

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
    if (state.popup || state.stopped) video.pause();
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

  async function start() {
    const res = await post(root.dataset.startUrl, {});
    if (!res.ok) return handleError(res);
    Object.assign(state, {
      session: res.data.session, seq: 0, verified: res.data.verified, duration: res.data.duration,
      maxRate: res.data.max_rate, beatEvery: res.data.heartbeat_every, maxLead: res.data.max_lead,
      lessonComplete: res.data.lesson_complete,
    });
    render();
    if (state.lessonComplete) ui.complete.hidden = false;
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
    state.timer = setInterval(() => {
      const catchingUp = video.ended && state.verified < state.duration;
      if (!video.paused || catchingUp) beat();
    }, state.beatEvery * 1000);
  }

  start();
})();
