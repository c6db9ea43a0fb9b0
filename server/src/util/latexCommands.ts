// LaTeX's accent, special-letter and symbol commands as biber decodes them (its `base` set of recode_data.xml), and
// where a control sequence ends; shared by the display decoder and the search-word reader so both read TeX alike.

/** `name char name char …` → map. */
function table(pairs: string): ReadonlyMap<string, string> {
  const items = pairs.trim().split(/\s+/);
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < items.length; i += 2) map.set(items[i], items[i + 1]);
  return map;
}

/** Control words that print one letter (`\o` → ø, `\ss` → ß, `\i` → dotless ı, tipa's IPA letters). */
export const LETTER_COMMANDS = table(`
  AA Å AE Æ DH Ð O Ø Thorn Þ TH Þ ss ß SS SS aa å ae æ dh ð o ø th þ textthorn þ textthornvari þ textthornvarii þ
  textthornvariii þ textthornvariv þ DJ Đ dj đ textcrd đ textHbar Ħ textcrh ħ texthbar ħ i ı j ȷ IJ Ĳ ij ĳ textkra ĸ
  L Ł l ł textbarl ł NG Ŋ ng ŋ OE Œ oe œ textTbar Ŧ textTstroke Ŧ texttbar ŧ texttstroke ŧ OHORN Ơ ohorn ơ
  UHORN Ư uhorn ư textcrb ƀ textBhook Ɓ textOopen Ɔ textChook Ƈ textchook ƈ texthtc ƈ textDafrican Ɖ textDhook Ɗ
  textEreversed Ǝ textEopen Ɛ textFhook Ƒ textflorin ƒ textGammaafrican Ɣ texthvlig ƕ hv ƕ textIotaafrican Ɩ
  textKhook Ƙ textkhook ƙ texthtk ƙ textcrlambda ƛ textNhookleft Ɲ textPhook Ƥ textphook ƥ texthtp ƥ textEsh Ʃ
  ESH Ʃ textlooptoprevesh ƪ textpalhookbelow ƫ textThook Ƭ textthook ƭ texthtt ƭ textTretroflexhook Ʈ textVhook Ʋ
  textYhook Ƴ textyhook ƴ textEzh Ʒ texteturned ǝ textturna ɐ textscripta ɑ textturnscripta ɒ textbhook ɓ texthtb ɓ
  textoopen ɔ textopeno ɔ textctc ɕ textdtail ɖ textrtaild ɖ textdhook ɗ texthtd ɗ textreve ɘ textschwa ə
  textrhookschwa ɚ texteopen ɛ textepsilon ɛ textrevepsilon ɜ textrhookrevepsilon ɝ textcloserevepsilon ɞ
  textbardotlessj ɟ texthtg ɠ textscriptg ɡ textscg ɢ textgammalatinsmall ɣ textgamma ɣ textramshorns ɤ textturnh ɥ
  texthth ɦ texththeng ɧ textbari ɨ textiotalatin ɩ textiota ɩ textsci ɪ textltilde ɫ textbeltl ɬ textrtaill ɭ
  textlyoghlig ɮ textturnm ɯ textturnmrleg ɰ textltailm ɱ textltailn ɲ textnhookleft ɲ textrtailn ɳ textscn ɴ
  textbaro ɵ textscoelig ɶ textcloseomega ɷ textphi ɸ textturnr ɹ textturnlonglegr ɺ textturnrrtail ɻ
  textlonglegr ɼ textrtailr ɽ textfishhookr ɾ textlhti ɿ textscr ʀ textinvscr ʁ textrtails ʂ textesh ʃ
  texthtbardotlessj ʄ textraisevibyi ʅ textctesh ʆ textturnt ʇ textrtailt ʈ texttretroflexhook ʈ textbaru ʉ
  textupsilon ʊ textscriptv ʋ textvhook ʋ textturnv ʌ textturnw ʍ textturny ʎ textscy ʏ textrtailz ʐ textctz ʑ
  textezh ʒ textyogh ʒ textctyogh ʓ textglotstop ʔ textrevglotstop ʕ textinvglotstop ʖ textstretchc ʗ
  textbullseye ʘ textscb ʙ textcloseepsilon ʚ texthtscg ʛ textsch ʜ textctj ʝ textturnk ʞ textscl ʟ texthtq ʠ
  textbarglotstop ʡ textbarrevglotstop ʢ textdzlig ʣ textdyoghlig ʤ textdctzlig ʥ texttslig ʦ textteshlig ʧ
  texttesh ʧ texttctclig ʨ hamza ʾ ain ʿ ayn ʿ textprimstress ˈ textlengthmark ː
`);

/**
 * Accent commands → the combining mark they put on the letter after them: the control symbols (`\'`, `\~`, …), the
 * one-letter words (`\c`, `\v`, …; a space may stand between them and the letter) and tipa's `\text…` accents.
 * `\t` is the double inverted breve of LaTeX's tie accent (biber uses U+0311); biber's `\|` is left out, as it is
 * the norm bar in math far more often than an accent in a bibliography.
 */
export const ACCENT_COMMANDS: ReadonlyMap<string, string> = new Map(Object.entries({
  '`': 0x300, "'": 0x301, '^': 0x302, '~': 0x303, '=': 0x304, u: 0x306, '.': 0x307, '"': 0x308, h: 0x309, r: 0x30a,
  H: 0x30b, v: 0x30c, U: 0x30e, G: 0x30f, M: 0x322, d: 0x323, c: 0x327, k: 0x328, b: 0x331, B: 0x335, t: 0x361,
  textvbaraccent: 0x30d, textdoublevbaraccent: 0x30e, textdotbreve: 0x310, textturncommaabove: 0x312,
  textcommaabove: 0x313, textrevcommaabove: 0x314, textcommaabover: 0x315, textsubgrave: 0x316, textsubacute: 0x317,
  textadvancing: 0x318, textretracting: 0x319, textlangleabove: 0x31a, textrighthorn: 0x31b, textsublhalfring: 0x31c,
  textraising: 0x31d, textlowering: 0x31e, textsubplus: 0x31f, textsubbar: 0x320, textsubminus: 0x320,
  textsubumlaut: 0x324, textsubring: 0x325, textcommabelow: 0x326, textsyllabic: 0x329, textsubbridge: 0x32a,
  textsubw: 0x32b, textsubwedge: 0x32c, textsubcircnum: 0x32d, textsubbreve: 0x32e, textundertie: 0x32e,
  textsubarch: 0x32f, textsubtilde: 0x330, textsuperimposetilde: 0x334, textlstrokethru: 0x336,
  textsstrikethru: 0x337, textlstrikethru: 0x338, textsubrhalfring: 0x339, textinvsubbridge: 0x33a,
  textsubsquare: 0x33b, textseagull: 0x33c, textovercross: 0x33d, overbridge: 0x346, subdoublebar: 0x347,
  subdoublevert: 0x348, subcorner: 0x349, crtilde: 0x34a, textoverw: 0x34a, dottedtilde: 0x34b, doubletilde: 0x34c,
  spreadlips: 0x34d, whistle: 0x34e, textrightarrowhead: 0x350, textlefthalfring: 0x351, sublptr: 0x354,
  subrptr: 0x355, textrightuparrowhead: 0x356, textrighthalfring: 0x357, textdoublebreve: 0x35d,
  textdoublemacron: 0x35e, textdoublemacronbelow: 0x35f, textdoubletilde: 0x360, texttoptiebar: 0x361, sliding: 0x362,
}).map(([name, code]) => [name, String.fromCharCode(code)]));

/** What an accent prints when it has nothing to sit on (`\~{}` is a tilde). */
export const SPACING_ACCENTS: ReadonlyMap<string, string> = new Map(Object.entries({
  '"': '¨', "'": '´', '`': '`', '^': '^', '~': '~', '=': '¯', '.': '˙',
}));

/** Control words that print a symbol or punctuation (biber's base set, and a few LaTeX logos and spaces). */
export const SYMBOL_COMMANDS = table(`
  textendash – textemdash — textquoteleft ‘ textquoteright ’ quotesinglbase ‚ textquotedblleft “ textquotedblright ”
  quotedblbase „ dag † ddag ‡ textbullet • dots … ldots … textellipsis … textperthousand ‰ textpertenthousand ‱
  guilsinglleft ‹ guilsinglright › textreferencemark ※ textinterrobang ‽ textoverline ‾ langle ⟨ rangle ⟩
  textquotedbl " textdollar $ textpercent % textampersand & textquotesingle ' textasteriskcentered * textless <
  textequals = textgreater > textasciicircum ^ textasciigrave \` textbraceleft { textbar | textbraceright }
  textasciitilde ~ textexclamdown ¡ textcent ¢ textsterling £ pounds £ textcurrency ¤ textyen ¥ textbrokenbar ¦
  textsection § S § textasciidieresis ¨ textcopyright © copyright © textordfeminine ª guillemotleft « textminus −
  textregistered ® textasciimacron ¯ textdegree ° texttwosuperior ² textthreesuperior ³ textasciiacute ´
  textparagraph ¶ P ¶ textcentereddot · textperiodcentered · textasciicedilla ¸ textonesuperior ¹ textordmasculine º
  guillemotright » textonequarter ¼ textonehalf ½ textthreequarters ¾ textquestiondown ¿ texttrademark ™ euro €
  texteuro € textbackslash \\ textunderscore _ LaTeX LaTeX TeX TeX BibTeX BibTeX slash /
`);

/** Control words that print a space. */
export const SPACE_COMMANDS: ReadonlySet<string> = new Set(['space', 'quad', 'qquad', 'nobreakspace']);

const isAsciiLetter = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
const isBlank = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;

/**
 * The end of the control sequence at `text[at]` (a backslash), before `end`: a control symbol is two characters; a
 * control word runs over its letters and, as TeX reads it, the blanks after them (`Gar\c con` is one word). Blanks
 * before `and` stay, so a BibTeX name list still splits there.
 */
export function controlSequenceEnd(text: string, at: number, end = text.length): number {
  let p = at + 1;
  if (p >= end) return end;
  if (!isAsciiLetter(text.charCodeAt(p))) return p + 1;
  while (p < end && isAsciiLetter(text.charCodeAt(p))) p++;
  let blanks = p;
  while (blanks < end && isBlank(text.charCodeAt(blanks))) blanks++;
  if (blanks === p || blanks === end) return blanks;
  const startsAnd = (text.charCodeAt(blanks) | 32) === 97 && (text.charCodeAt(blanks + 1) | 32) === 110 &&
    (text.charCodeAt(blanks + 2) | 32) === 100 && (blanks + 3 >= end || isBlank(text.charCodeAt(blanks + 3)));
  return startsAnd ? p : blanks;
}
