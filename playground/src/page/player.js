// Play / pause: advances the step at `speed` steps per second on animation frames, and
// stops at the end of the budget or when the widget leaves the page (instant navigation).
export function createPlayer({ getStep, setStep, getEnd, isAttached, onChange }) {
  let playing = false, frame = 0, last = 0, carry = 0;
  let speed = 30;
  const tick = (now) => {
    if (!playing) return;
    if (!isAttached()) { playing = false; return; }
    carry += ((now - last) / 1000) * speed;
    last = now;
    const advance = Math.floor(carry);
    carry -= advance;
    if (advance > 0) setStep(Math.min(getEnd(), getStep() + advance));
    if (getStep() >= getEnd()) { pause(); return; }
    frame = requestAnimationFrame(tick);
  };
  function play() {
    if (playing) return;
    if (getStep() >= getEnd()) setStep(0);
    playing = true;
    carry = 0;
    last = performance.now();
    frame = requestAnimationFrame(tick);
    onChange(true);
  }
  function pause() {
    if (!playing) return;
    playing = false;
    cancelAnimationFrame(frame);
    onChange(false);
  }
  return {
    play, pause,
    toggle: () => (playing ? pause() : play()),
    get playing() { return playing; },
    get speed() { return speed; },
    set speed(value) { speed = value; },
  };
}

export const prefersReducedMotion = () => window.matchMedia?.("(prefers-reduced-motion: reduce)").matches ?? false;
