// Reading aloud on the phone (issue 20), with the device's own voices only. A voice whose
// `localService` is false sends the text to a remote speech service, and what is recorded about
// a family must not leave the device that way: without a voice of its own for the language,
// the phone says so plainly and reads nothing.

import { t } from "./dom.js";

// A language's name in the reader's language, as the sentence about a missing voice needs it.
const languageName = (lang) => ({ fi: t("Finnish"), sv: t("Swedish"), en: t("English") })[lang] || t("Finnish");

function synth() {
  return "speechSynthesis" in window ? window.speechSynthesis : null;
}

/** The device's own voice for a language ("fi", "sv", "en"), or null. */
export function localVoice(lang) {
  const voices = synth()?.getVoices() || [];
  return voices.find((v) => v.localService === true && v.lang.toLowerCase().split(/[-_]/)[0] === lang) || null;
}

/** Some browsers list their voices only a moment after the page asks. */
function voicesListed(speech) {
  if (speech.getVoices().length) return Promise.resolve();
  return new Promise((resolve) => {
    speech.addEventListener("voiceschanged", () => resolve(), { once: true });
    setTimeout(resolve, 1500);
  });
}

/** Read `text` aloud in `lang` with a voice of the device's own, or say in `note` why not. A
 * press while it reads stops it. */
export async function readAloud(text, lang, note) {
  const speech = synth();
  if (!speech || !("SpeechSynthesisUtterance" in window)) {
    return tell(note, t("This device cannot read aloud."));
  }
  if (speech.speaking) {
    speech.cancel();
    return;
  }
  await voicesListed(speech);
  const voice = localVoice(lang);
  if (!voice) {
    const language = languageName(lang);
    return tell(note, t("This device has no voice of its own for %(language)s, so nothing is read aloud: the text is never sent to a voice service.", { language }));
  }
  note.hidden = true;
  const utterance = new window.SpeechSynthesisUtterance(text);
  utterance.voice = voice;
  utterance.lang = voice.lang;
  speech.cancel();
  speech.speak(utterance);
}

function tell(note, text) {
  note.textContent = text;
  note.hidden = false;
}
