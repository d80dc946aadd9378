// The high-severity chime. Browsers refuse audio until the page has had a click or key press, so
// the AudioContext is created (or resumed) on the first one; until then `play()` reports false and
// the visual cue carries the alert alone.

let ctx: AudioContext | null = null;

/** Call once; the first pointer or key event unlocks audio for the rest of the shift. */
export function installAudioUnlock(): () => void {
  const unlock = () => {
    try {
      ctx ??= new AudioContext();
      void ctx.resume();
    } catch {
      // No Web Audio: the visual cue remains.
    }
  };
  window.addEventListener('pointerdown', unlock, { capture: true });
  window.addEventListener('keydown', unlock, { capture: true });
  return () => {
    window.removeEventListener('pointerdown', unlock, { capture: true });
    window.removeEventListener('keydown', unlock, { capture: true });
  };
}

export const audioUnlocked = () => ctx?.state === 'running';

/** Two short tones; false when audio is still locked. */
export function playChime(): boolean {
  if (ctx?.state !== 'running') return false;
  const t0 = ctx.currentTime;
  for (const [i, f] of [880, 660].entries()) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = f;
    gain.gain.setValueAtTime(0.0001, t0 + i * 0.25);
    gain.gain.exponentialRampToValueAtTime(0.3, t0 + i * 0.25 + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + i * 0.25 + 0.22);
    osc.connect(gain).connect(ctx.destination);
    osc.start(t0 + i * 0.25);
    osc.stop(t0 + i * 0.25 + 0.24);
  }
  return true;
}
