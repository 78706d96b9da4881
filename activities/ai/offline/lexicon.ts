/**
 * The offline sentiment lexicon: Spanish and English words, phrases and emojis with a valence from
 * -3 (very negative) to +3 (very positive), tuned for customer-service conversations (complaints,
 * delays, refunds, thanks). Entries are written naturally; they are folded (lowercase, no accents)
 * when loaded, and single words are also indexed by their stem so "enojada", "enojados" or
 * "disappointing" find "enojado" and "disappointed".
 *
 * Format: `word:weight` separated by whitespace or newlines; phrases use `_` between words.
 */

const SPANISH = `
excelente:3 excepcional:3 maravilloso:3 perfecto:2.5 fantastico:3 fantástico:3 increíble:2.5 estupendo:2.5 genial:2.5
buenísimo:3 magnífico:3 espectacular:3 encantado:2.5 encanta:2.5 encantó:2.5 feliz:2.5 contento:2 contenta:2 satisfecho:2
satisfecha:2 agradecido:2 agradecida:2 gracias:1.5 agradezco:2 bueno:1.5 buena:1.5 buen:1.5 bien:1.2 mejor:1.5 útil:1.5
rápido:1.5 rápida:1.5 rapidez:1.5 amable:2 amables:2 atento:1.5 atenta:1.5 eficiente:2 eficaz:1.5 fácil:1.2 claro:0.8
correcto:1 correcta:1 resuelto:2 resuelta:2 solucionado:2 solucionada:2 funciona:1.2 funcionó:1.5 funcionando:1 recomiendo:2.5
recomendable:2 gusta:2 gustó:2 encantadora:2 agradable:1.8 bonito:1.5 precioso:2.5 cómodo:1.2 tranquilo:1 seguro:0.8 confiable:1.5
profesional:1.5 puntual:1.5 ágil:1.5 éxito:2 favorito:2 ideal:2 maravilla:2.5 alegre:2 alegría:2.5 ilusión:1.5 ayudó:1.5
ayudaron:1.5 resolvieron:2 solucionaron:2 felicidades:2.5 felicitaciones:2.5 bravo:2.5 chévere:2 bacán:2 padre:0 guay:2
estupendamente:2.5 perfectamente:2 amor:2 encantada:2.5 lujo:2 top:1.5 fenomenal:3 brillante:2.5 sencillo:1 impecable:3
ok:0.5 vale:0.3 bueníssimo:3 mejoró:1.5 mejorado:1.2 cumplieron:1.5 cumple:1 llegó_a_tiempo:2 muchas_gracias:2.5 mil_gracias:2.5
de_maravilla:2.5 por_fin:0.5 sin_problema:1.5 sin_problemas:1.5 todo_bien:1.5 todo_perfecto:2.5 vale_la_pena:1.5
buenas_tardes:0 buenas_noches:0 buenos_días:0 tardes:0 buen_día:0.5

malo:-2 mala:-2 mal:-1.8 pésimo:-3 pésima:-3 horrible:-3 terrible:-3 fatal:-2.5 espantoso:-3 desastre:-3 desastroso:-3
asqueroso:-3 lamentable:-2.5 vergüenza:-2.5 vergonzoso:-2.5 inaceptable:-3 indignante:-3 indignado:-2.5 indignada:-2.5
enojado:-2.5 enojada:-2.5 enfadado:-2.5 enfadada:-2.5 molesto:-2 molesta:-2 furioso:-3 furiosa:-3 harto:-2.5 harta:-2.5
cansado:-1.5 cansada:-1.5 frustrado:-2.5 frustrada:-2.5 frustrante:-2.5 decepcionado:-2.5 decepcionada:-2.5 decepción:-2.5
decepcionante:-2.5 triste:-2 preocupado:-1.5 preocupada:-1.5 disgustado:-2 disgusto:-2 insatisfecho:-2.5 insatisfecha:-2.5
problema:-1.2 problemas:-1.2 error:-1.5 errores:-1.5 fallo:-1.8 falla:-1.8 falló:-1.8 roto:-2 rota:-2 dañado:-2 dañada:-2
defectuoso:-2.5 defectuosa:-2.5 estropeado:-2 averiado:-2 tarde:-1 retraso:-2 retrasado:-2 demora:-1.8 demorado:-1.8 lento:-1.8
lenta:-1.8 lentitud:-2 caro:-1.2 cara:0 abusivo:-2.5 estafa:-3 estafado:-3 robo:-3 robaron:-3 engaño:-3 engañado:-3 mentira:-2.5
mienten:-2.5 queja:-2 quejo:-1.5 reclamación:-1.5 reclamo:-1.5 denuncia:-2.5 devolver:-0.5 devolución:-0.5 cancelar:-0.6 cancelaré:-2
nunca:0 peor:-2.5 odio:-3 odiar:-3 detesto:-3 asco:-3 basura:-3 inútil:-2.5 inútiles:-2.5 incompetente:-3 incompetentes:-3
grosero:-2.5 grosera:-2.5 maleducado:-2.5 irresponsable:-2.5 desesperado:-2.5 desesperada:-2.5 urgente:-0.8 absurdo:-2 ridículo:-2.5
vergüenza_ajena:-2 complicado:-1.2 difícil:-1.2 confuso:-1.2 incorrecto:-1.5 incorrecta:-1.5 equivocado:-1.5 perdido:-1.5
perdida:-1.5 desaparecido:-1.5 ignorado:-2 ignoran:-2 abandonado:-2 nadie:-0.8 culpa:-1.5 mentirosos:-3 timo:-3 caos:-2.5
doloroso:-2 pena:-1.5 lástima:-1.5 fracaso:-2.5 sufrir:-2 sufrimiento:-2.5 llorar:-2 miedo:-2 susto:-1.5 ansiedad:-2 rabia:-3
no_funciona:-2.2 no_sirve:-2.5 no_llega:-1.8 no_ha_llegado:-1.8 no_llegó:-1.8 sin_respuesta:-2 nadie_responde:-2.5
pérdida_de_tiempo:-2.5 tomadura_de_pelo:-3 de_mal_en_peor:-3 una_vergüenza:-2.5 me_arrepiento:-2.5 dar_de_baja:-1.2
`;

const ENGLISH = `
excellent:3 exceptional:3 outstanding:3 amazing:3 awesome:3 fantastic:3 wonderful:3 perfect:2.5 great:2.5 brilliant:2.5
superb:3 incredible:2.5 love:2.5 loved:2.5 lovely:2.5 happy:2.5 glad:2 pleased:2 delighted:3 satisfied:2 grateful:2.2 thankful:2
thanks:1.5 thank:1.5 appreciate:2 appreciated:2 good:1.8 nice:1.8 fine:0.8 better:1.5 best:2.5 helpful:2 useful:1.5 quick:1.5
fast:1.5 speedy:1.5 easy:1.2 smooth:1.5 friendly:2 kind:1.8 polite:1.5 professional:1.5 efficient:1.8 reliable:1.8 recommend:2.5
recommended:2 solved:2 resolved:2 fixed:1.8 works:1.2 worked:1.5 working:0.8 enjoy:2 enjoyed:2 fun:2 cool:1.5 impressive:2.5
impressed:2.5 superb:3 stellar:3 flawless:3 seamless:2 clear:0.8 correct:1 right:0.5 success:2 successful:2 win:1.5 favorite:2
favourite:2 beautiful:2.5 comfortable:1.5 safe:1 secure:1 calm:1 positive:1.5 well:0.8 nicely:1.5 quickly:1 promptly:1.5 patient:1.5
ok:0.5 okay:0.5 yay:2.5 wow:1.5 kudos:2.5 congrats:2.5 bravo:2.5 cheers:1 phenomenal:3 thrilled:3 excited:2.5 top:1.2 valuable:2
thank_you:2 thanks_a_lot:2.5 well_done:2.5 no_problem:1 no_problems:1.2 on_time:1.5 works_great:2.5 problem_solved:2.5

bad:-2 awful:-3 terrible:-3 horrible:-3 horrendous:-3 dreadful:-3 worst:-3 worse:-2.5 poor:-2 poorly:-2 disaster:-3 disgusting:-3
unacceptable:-3 outrageous:-3 ridiculous:-2.5 pathetic:-3 shameful:-2.5 shame:-2 useless:-2.5 worthless:-3 incompetent:-3 rude:-2.5
angry:-2.5 mad:-2.2 furious:-3 upset:-2.2 annoyed:-2 annoying:-2 irritated:-2 frustrated:-2.5 frustrating:-2.5 disappointed:-2.5
disappointing:-2.5 disappointment:-2.5 sad:-2 unhappy:-2.5 dissatisfied:-2.5 unsatisfied:-2.2 worried:-1.5 concerned:-1.2 fed:0
hate:-3 hated:-3 dislike:-2 sucks:-2.5 crap:-2.5 garbage:-3 trash:-2.5 junk:-2.5 scam:-3 fraud:-3 stolen:-3 cheated:-3 lie:-2.2
lied:-2.5 lies:-2.5 liar:-3 liars:-3 problem:-1.2 problems:-1.2 issue:-1 issues:-1 error:-1.5 errors:-1.5 bug:-1.5 broken:-2
broke:-1.8 damaged:-2 defective:-2.5 faulty:-2.2 failed:-2 failure:-2.2 fail:-2 fails:-2 wrong:-1.8 late:-1.2 delay:-1.8 delayed:-2
slow:-1.8 expensive:-1.2 overpriced:-2 refund:-0.5 complaint:-2 complain:-1.8 cancel:-0.6 lost:-1.5 missing:-1.5 ignored:-2
confusing:-1.5 confused:-1.2 difficult:-1.2 hard:-0.8 impossible:-2 stuck:-1.8 nightmare:-3 mess:-2.2 chaos:-2.5 painful:-2.2
waste:-2.5 wasted:-2.5 regret:-2.5 never:0 nobody:-0.8 nothing:0 unfortunately:-1.2 sorry:-0.8 urgent:-0.8 unreliable:-2.2
unresponsive:-2.5 unprofessional:-2.5 mistake:-1.5 hopeless:-2.5 fed_up:-2.5 not_working:-2.2 doesn't_work:-2.2 does_not_work:-2.2
don't_work:-2.2 didn't_work:-2.2 stopped_working:-2.2 no_response:-2 no_answer:-1.8 waste_of_time:-3 never_again:-3 rip_off:-3
ripoff:-3 still_waiting:-2 still_not:-1.5 not_happy:-2.5 not_good:-2 not_acceptable:-3 worst_service:-3 what_a_joke:-2.5
`;

/** Emojis and emoticons, matched on the raw text. */
// A table, one row per line of meaning: kept as written.
// prettier-ignore
export const EMOJI_VALENCE: Record<string, number> = {
  '😡': -3, '🤬': -3, '😠': -2.5, '😤': -2, '😢': -2, '😭': -2.5, '😞': -2, '😔': -1.8, '😟': -1.5, '🙁': -1.5, '☹️': -1.5, '☹': -1.5,
  '😒': -1.5, '😩': -2, '😫': -2, '🤮': -3, '🤢': -2.5, '👎': -2, '💩': -2.5, '😖': -2, '😣': -1.8, '😕': -1, '🙄': -1.5, '💔': -2.5,
  '🙂': 1.5, '😊': 2, '😀': 2, '😃': 2, '😄': 2, '😁': 2, '😆': 2, '😍': 3, '🥰': 3, '😘': 2.5, '❤️': 2.5, '❤': 2.5, '💙': 2, '💚': 2,
  '👍': 2, '👏': 2, '🙌': 2, '🙏': 1.2, '🎉': 2, '🥳': 2.5, '✨': 1.2, '⭐': 1.5, '🌟': 2, '💯': 2, '😎': 1.5, '🤗': 2, '😂': 1, '🤩': 3,
  ':)': 1.5, ':-)': 1.5, ':D': 2, ':-D': 2, ';)': 1.2, '<3': 2.5, ':(': -1.5, ':-(': -1.5, ":'(": -2, '>:(': -2.5, ':/': -0.8,
};

/** Words that flip the valence of what follows (within a short window). */
// A table, one row per line of meaning: kept as written.
// prettier-ignore
export const NEGATORS = new Set([
  'no', 'ni', 'nunca', 'jamas', 'tampoco', 'sin', 'nada', 'ningun', 'ninguna', 'ninguno', 'nadie',
  'not', 'never', 'no', 'nor', 'without', 'neither', 'nothing', 'none', 'nobody', 'hardly', 'barely',
  "don't", "doesn't", "didn't", "isn't", "wasn't", "aren't", "weren't", "won't", "wouldn't", "can't", "cannot", "couldn't",
  "shouldn't", "haven't", "hasn't", "hadn't", "ain't", 'dont', 'doesnt', 'didnt', 'isnt', 'wasnt', 'wont', 'cant', 'havent',
]);

/** Words that scale the next sentiment word. */
// A table, one row per line of meaning: kept as written.
// prettier-ignore
export const INTENSIFIERS: Record<string, number> = {
  muy: 1.5, super: 1.5, 'súper': 1.5, tan: 1.4, tanto: 1.3, bastante: 1.3, demasiado: 1.5, sumamente: 1.7, realmente: 1.4,
  totalmente: 1.5, completamente: 1.5, increiblemente: 1.7, extremadamente: 1.8, absolutamente: 1.6, mas: 1.2,
  very: 1.5, so: 1.4, really: 1.4, extremely: 1.8, incredibly: 1.7, totally: 1.5, completely: 1.5, absolutely: 1.6,
  too: 1.3, quite: 1.2, truly: 1.4, highly: 1.5, utterly: 1.7, especially: 1.3, most: 1.3, such: 1.3,
  algo: 0.7, poco: 0.6, ligeramente: 0.6, slightly: 0.6, somewhat: 0.7, bit: 0.7, little: 0.7,
};

/** Contrast words: the clause after them weighs more than the one before ("bien, pero lento"). */
export const CONTRAST = new Set(['pero', 'aunque', 'sin embargo', 'but', 'however', 'although', 'though', 'yet']);

export function parseLexicon(source: string): Map<string, number> {
  const map = new Map<string, number>();
  for (const entry of source.split(/\s+/)) {
    if (!entry) continue;
    const at = entry.lastIndexOf(':');
    const phrase = entry.slice(0, at).replace(/_/g, ' ');
    const weight = Number(entry.slice(at + 1));
    if (!phrase || !Number.isFinite(weight)) throw new Error(`bad lexicon entry: ${entry}`);
    map.set(phrase, weight);
  }
  return map;
}

/** Both languages in one table; a few entries (e.g. "no problem") exist only as phrases. */
export const LEXICON_SOURCE = { es: SPANISH, en: ENGLISH };
