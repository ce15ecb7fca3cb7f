package intents

// phraseLists are the plain phrase lists an acts file may hold, each read where its name
// is: a list of another name in a file is an error (a typo loses nothing silently).
var phraseLists = []string{
	"ads_refused",       // "no me mandéis publicidad", "no ads please": advertising refused
	"again_asked",       // "otra vez???", "again??", "de novo???": a failure once more, asked in disbelief, no retry asked for
	"another_router",    // "I have another router upstairs", "dois roteadores": a second router of the customer's
	"anything_to_do",    // "is there anything else I need to do?", "¿tengo que hacer algo más?": whether anything is left to do, asked
	"area_trouble",      // "y no será cosa de la zona?", "the people next door too": an outage in the area, in words the act misses
	"language_handover", // "my son will continue, he speaks english better": another person goes on in the language named, read as a language asked for
	"purpose_asked",     // "entonces pa que actualizas el router?", "what's the point then?": what something is for, asked (with the update, its use doubted)
	"asks_why",          // "why?", "¿qué pasó?", "o que deu errado?": the cause asked
	"audio_sent",        // "te mandei um áudio", "I sent a voice note": a voice note told of, which the bot cannot hear
	"back_again",        // "voltei", "ya volví", "I'm back", "it's me again": the customer back in the chat, told
	"billing_person",    // "me passa pro financeiro", "pásame con facturación", "put me through to billing": a person asked for about the bill
	"blessings",         // "Deus lhe pague", "Dios se lo pague", "God bless you": a thanks said as a blessing, no payment
	"button_unless",     // phrases that keep a text from picking a button by its words
	"cant_write_now",    // "no puedo escribir mucho, estoy manejando", "I'm driving": the customer cannot write now
	"by_mistake",        // "sorry, my grandson was playing with the phone": written by mistake
	"comes_back_words",  // "e se voltar a travar?", "what if it freezes again?": the trouble coming back later, read as comes_back
	"compensation",      // "will I get a discount?", "¿me van a compensar?": money back for lost service
	"contact_asked",     // "what time do you open?", "qual o telefone?": how or when to reach us, asked (the contact topic)
	"corrects",          // "sorry I meant", "nao pera", "quise decir": the customer corrects what they said
	"data_asked",        // "what do you know about me?", "¿qué datos tienen de mí?": the customer's data held, asked
	"data_delete",       // "please delete my data", "apaguem meus dados": a privacy request (deletion, access)
	"do_it_yourself",    // "i want you to change it", "hazlo tú": the bot asked to do itself what an agent does
	"failure_words",     // "deu erro", "it failed", "dio error": a failure or an error named
	"drops_asked",       // "e as quedas de noite?", "what about the dropouts?": a recurring trouble asked about by name
	"trouble_told",      // "o trem eh as quedas de noite", "se cae todo en la noche": a recurring trouble told, in words the act misses
	"farewells",         // "bless up", "bendiciones", "fica com Deus": thanks and goodbye in one, in a short message
	"firm_anger",        // "porquería", "lixo", "garbage": anger whatever the rest says; the learned reader never overrules it
	"fix_asked",         // "cn u fix it 2day", "me lo arreglas hoy?", "dá pra consertar hoje?": the trouble's fix asked for, now or today
	"for_other",         // "le escribo por mi mamá", "the line is in my landlord's name": the line is someone else's
	"act_for_holder",    // "eu posso resolver por ela?", "¿puedo hacer reclamos yo?": whether a customer not the holder may act
	"holder_router",     // "esse roteador é o dela?", "I'm at a different house": whether the router is the account holder's
	"helps_asked",       // "y eso de actualizar el router sirve de algo?": whether the update would help, beside the act's own words
	"holder_asked",      // "¿hace falta que esté él?", "can I do it without him?": whether the account holder must be there
	"holder_away",       // "she isn't here right now", "mi padre no está": the account holder away, told
	"how_are_you",       // "how are you?", "¿cómo estás?", "tudo bem?": a courtesy beside a hello
	"how_often",         // "toda hora", "all the time", "a cada rato": how often the trouble comes, said alone after it
	"image_sent",        // "did u see the pic?", "vê o print que eu mandei": a photo told of, which the bot cannot see
	"internet_words",    // "internet", "wifi", "la conexión", "a net": the connection named
	"introduces",        // "le escribe X, titular de la línea", "this is John, the account holder": who writes
	"kept_asked",        // "does the password stay the same?", "mantém-se igual?": whether settings stay, asked (its answer is a yes)
	"line_asked",        // "am I still in the queue?", "sigo en la cola?", "já tô na fila?": whether they are in line, asked
	"sooner_asked",      // "anyone before then?", "nenhum jeito de falar com alguém antes?": someone sooner, asked
	"gives_up",          // "forget it", "desisto", "olvídalo": what the customer waited for, given up
	"call_back",         // "can someone call me back", "que alguien me llame", "me liga": a phone call asked for
	"leaves_line",       // "me salgo de la cola", "I'm leaving the queue", "to saindo da fila": the line for an agent left, told
	"rejoin_line",       // "put me back in the queue", "vuelve a ponerme en la cola", "me coloca na fila de novo": the line for an agent asked for again
	"if_not",            // "and if it doesnt?", "¿y si no?", "e se não resolver?": what then, if what the bot said should help does not
	"label_says",        // "but that is what is written on it", "eso es lo que dice", "é o que tá escrito": the serial typed is the label's, insisted
	"thats_it",          // "so thats it?", "¿y eso es todo?", "é só isso?": whether that is all, asked in disbelief
	"time_units",        // "days", "semanas", "horas": a length of time named ("so thats it? 2 days?")
	"looks_at",          // "check", "reviso", "vou ver": with other_box, another box or router looked at
	"other_box",         // "the black one", "el otro", "o preto": with looks_at, another box or router looked at
	"light_trouble",     // "the red one is blinking", "a luz ta vermelha": a red or orange light on the router
	"lights_good",       // "the light went green now", "a luz ficou verde": the lights turned green, good news
	"lights_named",      // "the lights", "as luzinhas", "parpadea": the router's lights named (with a question, asked about)
	"line_wait",         // "how long do i have to wait", "¿cuándo me atienden?": the wait for an agent asked
	"lost_anything",     // "did i lose anything?", "perdí algo?", "perdi alguma coisa?": after a failure, a loss asked
	"lukewarm",          // "still meh tho", "sigue más o menos", "não melhorou muito": the connection still not good, said mildly
	"maybe",             // "maybe", "talvez", "de pronto": a whole reply that neither says yes nor no
	"cant_reach",        // "está en el cuarto de mi hijo y está cerrado", "im at work": the router out of reach now
	"lookup_asked",      // "cant u just look it up from my number?": the bot asked to find the router itself
	"mine_is",           // "mine is", "el mío es": a serial after it sets the customer's own against the one shown
	"needs_update",      // "does my router need an update?": whether an update is due, asked
	"no_need_asked",     // "entonces ya no hace falta verdad?", "so no need then?": whether nothing more is needed, asked
	"not_understood",    // "não entendi", "no entiendo", "I don't get it": the customer did not understand
	"not_warned",        // "why weren't we warned?", "pq n avisaram antes": no notice given, complained of
	"not_yet",           // "hang on", "maybe tomorrow", "pera": a no that puts off, not refuses
	"not_yet_alone",     // "wait", "hold up": a whole reply that puts off, words that inside a longer text do not ("i'll wait for the agent")
	"nothing_asked",     // "i didn't ask for anything", "yo no pedí nada": a message the customer did not seek
	"notices",           // "los avisos", "notifications": the messages the bot sends on its own, named
	"off_topic",         // "tell me a joke", "¿cómo va a estar el clima?", "quem ganhou o jogo?": small talk, nothing of the service
	"opening_named",     // "atienden", "the store", "loja": what opens or answers, named (its hours asked, not an outage's end)
	"other_number",      // "pelo número dele", "from his own number": another person writing from their own number
	"other_one",         // "el del cuarto", "the one upstairs", "o outro": a router named by where it is, with too: another router
	"own_connection",    // phrases of the customer's own connection: "my internet", "yo tb"
	"password_asked",    // "can't you send me the password here?": the Wi-Fi password asked of the bot
	"person_words",      // "talk to", "someone", "alguien", "atendente": a person, or a talk with one, named in any words
	"person_refused",    // "não pra falar com atendente", "not to talk to an agent": the person named is not wanted
	"problem_untold",    // "tengo un problema", "I have an issue": a problem told, and nothing of what it is
	"protocol_asked",    // "número de protocolo", "reference number": a record of the request asked for
	"quantity_units",    // "hours", "minutos", "dias": after a number, a quantity ("2 hours??"), never a button's number
	"recommend_asked",   // "which one do you recommend?", "¿qué me recomienda?": the bot's advice asked
	"refers_back",       // "now about the", "lo de la", "aquela": back to something said before
	"refuses_bot",       // "não quero robô", "I don't want a bot": the bot refused, a person wanted
	"restart_self",      // "I'll restart it myself", "deixa que eu reinicio": a restart the customer will do
	"restart_words",     // "reboot", "reinicia": a restart asked for
	"restarted",         // "already restarted it", "ja reiniciei": a restart done, to no avail
	"router_asked",      // "what is a router?", "¿qué es un router?": the router itself, asked
	"router_broken",     // "is my router broken?", "se me rompió?", "estragou?": after a failure, the router's harm asked
	"phone_unanswered",  // "I rang your helpline and nobody picks up", "nadie contesta": the phone line never answered
	"retry_slang",       // "third time lucky?? go again", "a la tercera va la vencida": a try again asked, read as retry
	"router_looks",      // "the box with the lights?", "a caixinha com luzinhas": the router described
	"scam_asked",        // "how do i know this is not scam", "me pidieron la clave del banco": whether this chat or a message is a scam, asked
	"what_asked",        // "vocês vão pedir meu", "will you ask for my": whether we will ask for the customer's details (with scam_asked or id_words)
	"id_words",          // "cpf", "id number", "documento": an identity document's number named
	"not_holders",       // "então não é o dela", "so it's not hers": the router named concluded not the holder's
	"kin_mother",        // "minha mãe", "my mum": a relative named (the line's holder, for a customer writing for them)
	"kin_father",        // "meu pai", "my dad"
	"kin_grandmother",   // "minha avó", "my gran"
	"kin_grandfather",   // "meu avô", "my grandad"
	"kin_husband",       // "meu marido", "my husband"
	"kin_wife",          // "minha esposa", "my wife"
	"got_message",       // "recebi mensagem de vcs?", "did you text me?": a message from us asked or told of
	"sent_here",         // "mi nieta me dijo que escriba por aquí": who sent the customer here
	"serial_found",      // "ok found it", "ya la encontré", "achei": the label found, the serial not typed yet
	"serial_words",      // "serial", "etiqueta": where_serial names one away from the question for it
	"slams_connection",  // "my wifi is trash", "meu wifi ta uma merda": the connection complained of, rudely
	"slow_slang",        // "lentazo", "lentão", "se queda pillado": the connection slow or stuck, in slang, read as a connection complaint
	"someone_elses",     // "oh wait, that one is my mum's", "ese es el de mi mamá": the serial just named is someone else's router
	"still_there",       // "anyone there?", "¿hay alguien?", "alguém aí?": whether the bot is still there, asked
	"technician_asked",  // "send a technician out", "mandem um técnico": a visit asked for, in any longer message
	"technician_came",   // "la semana pasada vino el técnico", "the engineer came yesterday": a past visit, told
	"too_another",       // "también", "too", "também": with other_one, one more router
	"topic_breaks",      // "also", "aprovecho para", "e também": where a long message turns to another request
	"trouble_after",     // "will it fix the slowness?", "why does it keep dropping?": the trouble asked about
	"urges_update",      // "ce nao vai reiniciar nao?", "¿no lo vas a reiniciar?", "aren't you going to restart it?": the update urged on, no refusal
	"understood",        // "got it", "entendi", "ya veo": an acknowledgement that consents to nothing
	"unplug_asked",      // "should i unplug it?", "lo desenchufo?", "tiro da tomada?": whether to switch the router off, asked
	"until_when",        // "y hasta que hora mas o menos?", "until what time?": the end of what goes on, asked
	"update_not_done",   // "consegui atualizar não", "the update didn't work": the update not done, told
	"update_or_restart", // "what's the difference between updating and restarting?": the two told apart
	"update_safe",       // "is it safe?", "¿qué es ese software?", "vai apagar minhas fotos?": what the update is, asked
	"update_words",      // "update", "actualiza": an update asked for
	"what_now",          // "¿y ahora qué hago?", "what do I do now?": what to do next, asked
	"meaning_asked",     // "what does that even mean mate", "¿qué significa eso?": the bot's last words not understood
	"what_failed",       // "que es lo que ha fallado exactamente", "what went wrong?": the failure's facts asked
	"why_words",         // "why", "por qué", "por que": a cause asked, not what failed (what_failed)
	"if_fails_again",    // "y si vuelve a fallar que hago?", "what if it fails again?": what to do then, asked
	"what_to_write",     // "what sort of thing do you need to know?": what to answer, asked
	"when_back",         // "ya y cuando vuelve": when the service comes back, asked without a question mark
	"who_does",          // "eso lo hace una persona, no?": who does it, asked
	"why_asked",         // "why do you need that?", "¿y eso para qué?": why the bot asks
	"withholds",         // "no pienso daros nada", "not giving you anything": what was asked refused
	"work_this_time",    // "will it work this time?": a retry's chances asked
	"works_again",       // "ahora anda joya", "now I have internet": the service working now, read as works_now
	"which_box",         // "which one, there is the one from you and one the card company gave me": which device is the router, asked
	"zone_asked",        // "which time zone is that?", "esse horário é de qual fuso?": the zone of a time told, asked
}

var phraseListSet = func() map[string]bool {
	set := make(map[string]bool, len(phraseLists))
	for _, n := range phraseLists {
		set[n] = true
	}
	return set
}()

// list is the phrase list of that name, of every language; a name no list has is a
// programming error.
func (lex *Lexicon) list(name string) []string {
	ps, ok := lex.lists[name]
	if !ok && !phraseListSet[name] {
		panic("intents: no phrase list is called " + name)
	}
	return ps
}
