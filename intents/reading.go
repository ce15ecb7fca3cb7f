package intents

import (
	"context"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Reading is everything the bot takes from one customer turn, read once: the request
// the classifier tells, the dialogue acts, and the entities (a menu choice, serial
// numbers, a language asked for). The dialogue decides on it and reads nothing else.
type Reading struct {
	Text string
	// Lang is the language the text is written in, "" when it is too short or mixed to tell.
	Lang string
	// Intent and Confidence are the classifier's; Intent is OutOfScope when it did not
	// know, or when it was not asked (a tapped button) or failed (Err).
	Intent     string
	Confidence float64
	Acts       Acts
	// Choice is the 1-based item of the open menu the text picks; 0 for none. Tapped is
	// set when the text is the item's title or number, as a tap on the button sends it.
	Choice int
	Tapped bool
	// Serials are the words that are router serial numbers, upper-cased, each once.
	Serials []string
	// Language is the language asked for, with ActLanguageRequest.
	Language string
	// Words counts the text's words; Question is set when it asks something.
	Words    int
	Question bool
	// Understood is set when the acknowledgement says only that the customer understood
	// ("entendi, obrigado", "got it", "ya veo"): to a yes-or-no question it is no yes.
	Understood bool
	// Lost is set when the customer says they did not understand ("não entendi", "no
	// entiendo", "I don't get it"): no acknowledgement and no yes, whatever the learned
	// reader hears in "entendi"; the bot says it again more plainly.
	Lost bool
	// NotYet is set when the text puts off rather than refuses ("hang on, my son is on a
	// call", "maybe tomorrow", "agora não dá, pera"): to "shall I?" it is a "not yet".
	NotYet bool
	// RestartOnly is set for a text that asks to restart the router and names no update
	// ("can u reboot the router pls"): the bot says it restarts it with an update.
	RestartOnly bool
	// Restarted is set for a text that tells the router was restarted already, to no
	// avail ("ja reiniciei e nada", "I already rebooted it twice", "já desliguei e liguei"):
	// a restart done, not one asked for, and no news to them.
	Restarted bool
	// RestartSelf is set for a text that says the customer will restart the router
	// themselves ("I'll restart it myself", "deixa que eu reinicio"): how, and what the
	// bot can do if it does not help; never the update's confirmation.
	RestartSelf bool
	// Unfinished is set for a text that is only a connecting word ("Also", "y", "e
	// também"): the rest comes in the next message, and this one has no acts.
	Unfinished bool
	// NamesUpdate is set for a text that names the router's update or restart in words of
	// the acts files' buttons lists ("vc mesmo consegue reiniciar meu roteador?"), not
	// negated, whatever menu is open: a request beside another answer, which the classifier
	// may read as the other answer alone ("deixa pra lá" as a cancel).
	NamesUpdate bool
	// Ranked are the classifier's candidates, best first, whatever its verdict: a topic
	// it leans to below its threshold ("now about the bill") may be one already raised.
	Ranked []Scored
	// RefersBack is set for a text that points back to something said before, in words
	// of the acts files' refers_back ("ok so about that fiber thing?", "y lo de la factura?").
	RefersBack bool
	// NamesAgent is set for a text whose words ask for a person by the acts files' lists,
	// though the learned reader heard no such request in it ("no sorry not the update,
	// just the agent thing for the cancellation"): a request beside a refusal.
	NamesAgent bool
	// NothingAsked is set for a text that says the customer sought nothing ("yo no pedí
	// nada", "não pedi nada", "i didn't ask for this"): who writes and why, not a complaint.
	NothingAsked bool
	// ByMistake is set for a text that says the message was sent by mistake ("desculpa,
	// foi meu neto que mexeu no celular", "sorry, wrong chat").
	ByMistake bool
	// CantWriteNow is set for a text that says the customer cannot write now ("no puedo
	// escribir mucho, estoy manejando", "I'm driving"): they will write later.
	CantWriteNow bool
	// RefusesNotices is set for a text that names the bot's notices and a negation ("y los
	// avisos esos de la actualización tampoco quiero"): right after an opt-out, more of it.
	RefusesNotices bool
	// HowAreYou is set for a text that asks how the bot is ("oii tudo bem?", "hola, ¿cómo
	// estás?", "hi how r u"): a courtesy the answer to a hello returns.
	HowAreYou bool
	// NamesInternet is set for a text that names the connection ("is my internet ok
	// now?", "¿ya tengo wifi?", "a net volta?"): a question about it asks about the service.
	NamesInternet bool
	// AsksWait is set for a text that asks how long the wait for an agent is ("how long i
	// have to wait", "¿a qué hora me atienden?", "quanto tempo vai demorar pra alguém me
	// responder"): to a customer in line, the queue's answer.
	AsksWait bool
	// AsksNeedsUpdate is set for a text that asks whether the router needs an update ("¿mi
	// router necesita actualización?", "is my router up to date?"): no update's status.
	AsksNeedsUpdate bool
	// AsksWhy is set for a text that asks the cause ("why??", "¿qué pasó?", "o que deu
	// errado?"), not what to do now ("¿y ahora qué hago?").
	AsksWhy bool
	// AsksPurpose is set for a text that asks what something is for ("entonces pa que
	// actualizas el router?", "what's the point then?"): with the update named, its use doubted.
	AsksPurpose bool
	// NamesFailure is set for a text that names a failure or an error ("pq deu erro",
	// "why did it fail", "¿por qué dio error?"): with AsksWhy after a failed update, the
	// failure's cause asked, whatever the classifier makes of "erro".
	NamesFailure bool
	// AsksDrops is set for a text that names a recurring trouble in asking about it ("e as
	// quedas de noite?", "y los cortes?", "what about the dropouts?"): after an update that
	// worked, its cause is for an agent to find; the update never promises it is over.
	AsksDrops bool
	// TellsTrouble is set for a text that tells a recurring trouble in words the
	// connection's complaint act misses ("o trem eh as quedas de noite, todo dia umas 9h cai
	// tudo", "lo que pasa es que se cae todo en la noche"): what the intake would ask.
	TellsTrouble bool
	// NotWarned is set for a text that complains no notice was given ("why weren't we
	// warned?", "¿por qué no avisaron?", "pq n avisaram antes").
	NotWarned bool
	// RefusesBot is set for a text that refuses the bot ("não quero robô não", "I don't
	// want a bot"): a person wanted. Not a word list of ask_person, whose entries train the
	// learned reader.
	RefusesBot bool
	// AsksWhatToWrite is set for a text that asks what the bot wants to be told ("what sort
	// of thing do you need to know?", "¿qué te pongo?", "o que eu escrevo?").
	AsksWhatToWrite bool
	// AsksWhatNow is set for a text that asks what to do next ("¿y ahora qué hago?", "what
	// do I do now?", "e agora, o que eu faço?"), with or without a question mark.
	AsksWhatNow bool
	// AsksMeaning is set for a text that asks what the bot's last words mean ("what does
	// that even mean mate", "¿qué significa eso?", "o que isso quer dizer?").
	AsksMeaning bool
	// AsksWhatFailed is set for a text that asks what exactly failed ("que es lo que ha
	// fallado exactamente", "what went wrong?", "o que deu errado?").
	AsksWhatFailed bool
	// AsksIfFailsAgain is set for a text that asks what to do if it fails again ("y si
	// vuelve a fallar que hago?", "what if it fails again?", "e se der erro de novo?").
	AsksIfFailsAgain bool
	// AsksFix is set for a text that asks the bot to fix the trouble, now or today ("cn u
	// fix it 2day", "me lo arreglas hoy?", "dá pra consertar hoje?").
	AsksFix bool
	// AsksBillingPerson is set for a text that asks to be put through to billing by the
	// team's name ("me passa pro financeiro", "pásame con facturación", "put me through to
	// billing"): a person asked for (ask_person), about the bill.
	AsksBillingPerson bool
	// WhyAsked is set for a text that asks why the bot asks what it asked ("y eso para qué
	// lo necesitan?", "why do you need that?", "pra que isso?"): a question back, no answer.
	WhyAsked bool
	// Withholds is set for a text that refuses to give what the bot asked ("no pienso daros
	// nada, reinicialo y punto", "I'm not giving you anything", "não vou passar nada").
	Withholds bool
	// AsksLookup is set for a text that asks the bot to find the router itself, from the
	// customer's number or account ("cant u just look it up from my number?"), in words of
	// lookup_asked.
	AsksLookup bool
	// NamesPerson is set for a text whose words name a person or a talk with one ("talk to
	// customer care executive", "alguien", "falar com"), in words of person_words: a request
	// for a person the learned reader alone hears stands on them.
	NamesPerson bool
	// AsksWhichBox is set for a text that asks which of the devices at home is the router
	// ("which one, there is the one from you and one the card company gave me"), in words
	// of which_box.
	AsksWhichBox bool
	// CantReach is set for a text that says the customer cannot get to the router now
	// ("el router está en el cuarto de mi hijo y está cerrado"), in words of cant_reach.
	CantReach bool
	// AsksCompensation is set for a text that asks for money back for service lost ("vou
	// ter desconto na fatura?", "¿me van a compensar?", "will I get a credit for this?").
	AsksCompensation bool
	// AsksPassword is set for a text that asks the bot for the Wi-Fi password itself ("n
	// tem como vc me mandar a senha aqui?", "can you just tell me the password?").
	AsksPassword bool
	// AsksWorkThisTime is set for a text that asks whether it will work this time ("e
	// dessa vez vai dar certo?", "will it work this time?").
	AsksWorkThisTime bool
	// AgainAsked is set for a question that is only "again?" ("otra vez???", "again??", "de
	// novo???", "falló otra vez?"), in words of again_asked: disbelief at a failure once more,
	// no retry asked for (a retry cuts the internet: it needs a clear yes).
	AgainAsked bool
	// LeavesLine is set for a text that says the customer leaves the line for an agent ("mira
	// paso, me salgo de la cola", "I'm leaving the queue"), in words of leaves_line: to a
	// customer in line, out of it, whatever the acts.
	LeavesLine bool
	// GivesUp is set for a text that gives up what it waited for ("forget it", "desisto",
	// "olvídalo"), in words of gives_up: to a customer in the agents' line, out of it.
	GivesUp bool
	// AsksInLine is set for a text that asks whether the customer is in the line for an
	// agent ("am I still in the queue?", "sigo en la cola?", "já tô na fila?"), in words of
	// line_asked: at the intake's question, not yet.
	AsksInLine bool
	// AsksSooner is set for a text that asks for someone sooner than the agents' return
	// ("nao tem nenhum jeito de falar com alguem antes?", "anyone before then?"), in words
	// of sooner_asked.
	AsksSooner bool
	// AsksCall is set for a text that asks for a phone call ("can someone call me back on
	// this number", "necesito que alguien me llame", "vão me ligar?"), in words of call_back.
	AsksCall bool
	// RejoinsLine is set for a text that asks to be put back in the line for an agent ("ok put
	// me back in the queue then", "vuelve a ponerme en la cola"), in words of rejoin_line.
	RejoinsLine bool
	// AsksIfNot is set for a text that asks what then if it does not help ("and if it
	// doesnt?", "¿y si no se arregla?"), in words of if_not.
	AsksIfNot bool
	// LabelSays is set for a text that insists the serial typed is what the label says ("but
	// that is what is written on it", "é o que tá escrito"), in words of label_says.
	LabelSays bool
	// DoubtsAnswer is set for a text that asks whether that is all ("so thats it?", "¿eso es
	// todo?", "é só isso?"), in words of thats_it.
	DoubtsAnswer bool
	// NamesTime is set for a text that names a length of time ("so thats it? 2 days?", "¿una
	// semana?"), in words of time_units.
	NamesTime bool
	// LooksAtOther is set for a text that says the customer will look at another box or
	// router ("ok let me check the black one", "voy a ver el otro aparato", "vou olhar o
	// preto"): words of looks_at with words of other_box.
	LooksAtOther bool
	// AnotherRouter is set for a text that speaks of a second router of the customer's ("I
	// have another router upstairs", "aqui em casa tem dois roteadores", "tengo otro router
	// en el living", "y el del cuarto también se puede?"): another one besides, not a
	// correction of the serial named.
	AnotherRouter bool
	// MineIs is set for a text that gives the customer's own router against another named
	// ("el mío es ZX-4410-CD07", "mine is ...", "o meu é ..."): a serial in it is theirs.
	MineIs bool
	// SomeoneElses is set for a text that says the router just named is someone else's, a
	// relative's or a neighbour's ("ah no pere, ese es el de mi mamá", "oh wait, that one
	// is my mum's", "esse é o da minha mãe"): not the customer's, and not theirs to update.
	SomeoneElses bool
	// Corrects is set for a text that corrects what the customer said before ("sorry I
	// meant the other router, KT-2231-XB09", "no wait, it's the bill not the wifi",
	// "desculpa, me confundi, o serial é ..."): what it names replaces what was said.
	Corrects bool
	// SerialZeros is set when a serial was typed with the letter O in a group of digits
	// ("ZX 99OO AB12"): it is read with zeros (ZX-9900-AB12), as the pattern takes it, and
	// the customer is to be told so.
	SerialZeros bool
	// SerialOnes is set when a serial was typed with the letter l for a one in a group of
	// digits ("zx 9900 ab l2"): Serials has it read with ones, as with zeros.
	SerialOnes bool
	// SerialShort is set when the one serial is a character short of the usual shape
	// (Reader.SerialShape): "ZX9900AB1", "zx-990-ab12" are to be checked, not updated.
	SerialShort bool
	// AsksUpdateSafe is set for a text that asks what the update is or whether it is safe
	// ("is it safe?", "e o que é esse software? vai apagar minhas fotos do celular?"): the
	// answer is what it does and what it leaves alone, not the update's status.
	AsksUpdateSafe bool
	// PhoneUnanswered is set for a text that tells the phone line never answered ("I rang
	// your helpline three times and nobody picks up"): an agent here, never the number.
	PhoneUnanswered bool
	// AsksScam is set for a text that asks whether this chat is really the company's
	// ("how do i know this is not scam", "isso é golpe?"): who writes, and what the bot
	// never asks for; not the frustration its word "scam" reads.
	AsksScam bool
	// AsksWhatAsked is set for a text that asks whether we will ask for the customer's
	// details ("Vocês vão pedir meu cpf ou senha do banco?", "will you ask for my bank
	// password?"): what is asked, by whom, and what never is.
	AsksWhatAsked bool
	// GotMessage is set for a text that asks or tells of a message from us ("Recebi
	// mensagem de vcs?", "did you guys text me?"): whether one was sent here.
	GotMessage bool
	// AsksItself is set for a text that asks the bot to do itself what it said an agent
	// does ("não quero falar com ninguém, quero que vc mude", "can't you do it yourself?").
	AsksItself bool
	// AsksTechnician is set for a text that asks for a technician's visit in words ("...então
	// eu queria ver se vocês mandam um técnico aqui em casa"), wherever it stands in it.
	AsksTechnician bool
	// TechnicianCame is set for a text that tells of a technician's visit that took place
	// ("la semana pasada vino el técnico y me cambió el módem", "the engineer came
	// yesterday"): a fact told, no visit asked for.
	TechnicianCame bool
	// WhereAsked is set for a question that asks where to find something the bot would
	// want, naming no serial ("y dónde encuentro eso que me pide?"), away from the question
	// for the serial (there it is where_serial): where it is asked of a customer with no
	// router on file, the serial's label.
	WhereAsked bool
	// AsksWhatRouter is set for a text that asks what a router is ("What is a router?", "y
	// qué es un router? yo no sé de esas cosas", "o que é roteador?"): the box named
	// plainly, not the update it would ask for.
	AsksWhatRouter bool
	// DescribesRouter is set for a text that describes a box with lights ("el aparatico ese
	// que tiene las lucecitas?", "é uma caixinha preta com umas luzinhas"): right after the
	// router was explained, the customer found it.
	DescribesRouter bool
	// StillThere is set for a text that asks whether anyone is there ("anyone there?",
	// "¿hay alguien?", "oi? alguém aí?"): after the first message, no new hello and no
	// request for a person, but a check that the bot still listens.
	StillThere bool
	// ProblemUntold is set for a text that says there is a problem and nothing of what it
	// is ("tengo un problema", "hi, I have an issue", "tô com um problema"), a hello aside,
	// in words of problem_untold: no request (Intent is OutOfScope) and no act but the
	// hello's and politeness; the bot asks what it is.
	ProblemUntold bool
	// SerialFound is set for a text that only says the label was found ("ok found it",
	// "ya la encontré", "achei"), in words of serial_found, with no serial in it: the
	// serial is on its way, not a wrong one.
	SerialFound bool
	// AsksOtherNumber is set for a question whether another person must write from their
	// own number ("se o cunhado quiser atualizar o dele ele tem que chamar vcs pelo numero
	// dele ne?"), in words of other_number: their router is updated for them, there.
	AsksOtherNumber bool
	// AsksProtocol is set for a text that asks for a record of the request: a protocol,
	// reference or ticket number ("o número de protocolo do cancelamento, vcs não vão me
	// dar??", "can I get a reference number?").
	AsksProtocol bool
	// NamesSerial is set for a text that names the serial number or its label ("é esse
	// mesmo que ta na etiqueta", "I copied it off the sticker"): of a serial the telco did
	// not find, the customer insists it is right.
	NamesSerial bool
	// UpdateNotDone is set for a text that tells the router's update was not done or did
	// not work ("Voltei. Consegui atualizar não.", "couldn't get the update done"): the
	// update offered again.
	UpdateNotDone bool
	// AsksBroken, AsksLost and AsksUnplug are set for a text that asks whether the router
	// is broken ("is my router ok?", "se me rompió el router?", "meu roteador estragou?"),
	// whether anything was lost ("did i lose anything?", "perdí algo?") and whether to
	// switch it off ("should i unplug it?", "lo desenchufo o no lo toco?", "tiro da
	// tomada?"): after a failed update, each is answered for the failure it was.
	AsksBroken, AsksLost, AsksUnplug bool
	// AsksData is set for a text that asks what the bot or the company knows of the
	// customer ("what do you know about me?", "¿qué datos tienen de mí?", "o que vcs sabem
	// sobre mim?"): what the bot sees, said plainly.
	AsksData bool
	// AsksDataDeleted is set for a text that asks for the customer's data to be deleted or
	// handed over ("please delete my data", "quisiera que borren mis datos", "apaguem meus
	// dados"): a privacy request, which only a person takes.
	AsksDataDeleted bool
	// OffTopic is set for a text of small talk or of something the service has nothing to
	// do with ("tell me a joke", "¿cómo va a estar el clima mañana?", "quanto foi o jogo do
	// flamengo?"): said honestly that the bot cannot help with it there.
	OffTopic bool
	// Introduces is set for a text in which the customer says who writes ("le escribe Mª
	// Carmen, titular de la línea", "this is John, the account holder").
	Introduces bool
	// Maybe is set for a text that is only a maybe ("maybe", "mmm de pronto", "talvez"): to
	// a yes-or-no question, neither; what helps decide is the answer.
	Maybe bool
	// AsksRecommend is set for a text that asks the bot's advice ("which one do you
	// recommend?", "usted qué me recomienda?", "o que você indica?").
	AsksRecommend bool
	// AsksUpdateHelps is set for a text that asks whether the update would help in words of
	// helps_asked ("y eso de actualizar el router sirve de algo?"), beside the act
	// update_helps, whose words the learned reader is trained on.
	AsksUpdateHelps bool
	// AsksWhenBack is set for a text that asks when the service comes back, in words of
	// when_back ("ya y cuando vuelve", "ok so when does it come back"), question mark or not:
	// after an outage was told, its expected end.
	AsksWhenBack bool
	// AsksUntilWhen is set for a text that asks until what time something goes on and
	// names nothing that opens or answers ("y hasta que hora mas o menos?", "até que horas
	// mais ou menos?"), in words of until_when: after an outage was told, its expected end;
	// "until what time are you open?" (opening_named) asks the hours.
	AsksUntilWhen bool
	// TellsHowOften is set for a text that says how often something happens, in words of
	// how_often ("toda hora", "all the time", "a cada rato"): said alone right after a
	// trouble was told, more of it.
	TellsHowOften bool
	// AsksZone is set for a text that asks the time zone of a time told, in words of
	// zone_asked ("which time zone is that?", "esse horário é de qual fuso?").
	AsksZone bool
	// AsksContact is set for a text that asks how or when to reach us, in words of
	// contact_asked ("what time do you open?", "qual o telefone de vcs?", "¿dónde hay una
	// tienda?"): the contact topic's question. "toda hora" or "pelo número dele" ask none.
	AsksContact bool
	// AsksUpdateOrRestart is set for a text that asks how an update differs from a restart
	// ("what's the difference between updating and restarting?"): no update's status.
	AsksUpdateOrRestart bool
	// ForOther is set for a text that says the line or the router is someone else's ("le
	// escribo por el internet de mi mamá", "the internet is in my landlord's name", "to
	// escrevendo pela minha mãe"), in words of for_other.
	ForOther bool
	// HolderKin is who the customer says the line's holder is, when a relative ("minha mãe",
	// "my dad"): "mother", "father", "grandmother", "grandfather", "husband", "wife"; "".
	HolderKin string
	// NotHolders is set for a text that concludes the router named is not the holder's
	// ("Entao nao eh o dela", "so it's not hers").
	NotHolders bool
	// SentHere is set for a text that says who sent the customer to write here ("mi nieta
	// me dijo que escriba por aquí"), in words of sent_here: context, no request.
	SentHere bool
	// AsksHolder is set for a text that asks whether the account holder must be there
	// ("¿hace falta que esté él para esto?", "can I get it serviced without him?", "posso
	// atualizar mesmo não sendo o titular?"), in words of holder_asked.
	AsksHolder bool
	// AsksActForHolder is set for a text that asks whether the customer may act for the
	// account holder or report a fault on a line not theirs ("eu posso resolver por ela?",
	// "¿puedo hacer reclamos yo?", "can I report problems?"), in words of act_for_holder:
	// with the line told to be someone else's, a question about the holder.
	AsksActForHolder bool
	// AsksHolderRouter is set for a text that asks whether the router spoken of is the
	// account holder's, or tells the customer is at another house than theirs ("esse
	// roteador é o dela msm? eu to em outra casa", "is that her router?"), in words of
	// holder_router: with the line told to be someone else's, no move of house.
	AsksHolderRouter bool
	// NamesPhone is set for a text that holds a phone number typed in groups of digits
	// ("o número dela é outro, 81 3333 4444"): no serial, and no router found by it.
	NamesPhone bool
	// HolderAway is set for a text that tells the account holder is not there ("she isn't
	// here right now", "mi padre no está", "ele mora em Portugal"), in words of holder_away.
	HolderAway bool
	// AsksWhoDoes is set for a text that asks who does something ("eso lo hace una persona,
	// no?", "that's done by a person, right?"), in words of who_does: a question, no
	// request for a person.
	AsksWhoDoes bool
	// RefusesAds is set for a text that refuses advertising ("porfa no me mandéis mensajes
	// de publicidad", "no marketing please", "não quero propaganda"), in words of
	// ads_refused: the bot sends none, and says so.
	RefusesAds bool
	// AsksTroubleAfter is set for a text that asks about the trouble the update was for
	// ("Will it fix the slowness?", "why does it keep dropping?"), in words of
	// trouble_after: after an update that worked, whether it helps shows in use.
	AsksTroubleAfter bool
	// AsksNoNeed is set for a text that asks whether nothing more is needed ("Ah bueno.
	// Entonces ya no hace falta verdad?", "so there's no need anymore, right?", "então não
	// precisa mais né?"), in words of no_need_asked, their negation their own: with a
	// question, a yes, if the internet works.
	AsksNoNeed bool
	// SentMedia is "audio" for a text that tells of a voice note sent ("te mandei um áudio
	// explicando", "I have sent a voice note"), "image" for a photo, screenshot or video
	// ("did u see the pic?", "vê o print que eu mandei"), "" for neither: the bot cannot
	// hear or see them, and says so.
	SentMedia string
	// LightTrouble is set for a text that tells of a red or orange light on the router ("the
	// red one is blinking", "a luz ta vermelha"): the connection's trouble, as a photo of the
	// lights shows it.
	LightTrouble bool
	// NamesLights is set for a text that names the router's lights ("e a luz laranja é
	// normal?", "the lights keep blinking"), in words of lights_named: with a question,
	// what they mean is asked.
	NamesLights bool
	// LightsGood is set for a text that tells the lights turned green ("agora a luz ficou
	// verde 😊"), in words of lights_good (not negated): good news.
	LightsGood bool
	// Lukewarm is set for a text that says, mildly, the connection is still not good, naming
	// no trouble ("ok done i guess. still meh tho", "sigue más o menos", "não melhorou
	// muito"): after an update that worked, the trouble goes on.
	Lukewarm bool
	// AsksKept is set for a text that asks whether the Wi-Fi or the settings stay as they
	// are ("a password do wifi mantém-se igual?"), in words of kept_asked: its answer is a
	// yes, where "will I lose my password?" has a no.
	AsksKept bool
	// BackAgain is set for a text that says the customer is back in the chat ("voltei, é o
	// Kauã de novo", "ya volví", "I'm back"): greeted back, with where things stand.
	BackAgain bool
	// UrgesUpdate is set for a text that urges the update on in a negative question ("ce
	// nao vai reiniciar nao?", "¿no lo vas a reiniciar?", "aren't you going to restart
	// it?"): a go-ahead, never a no (urges_update).
	UrgesUpdate bool
	// AsksToDo is set for a text that asks whether anything is left for the customer to do
	// ("Is there anything else I need to do now?", "¿tengo que hacer algo más?", "preciso
	// fazer mais alguma coisa?"): right after an update that worked, nothing.
	AsksToDo bool
	// Asks are the names of what the text asks about a topic, by the acts files'
	// asks_about lists, sorted: a question a topic of the catalog answers ("e qdo vence?":
	// due_date) or a topic named in words the classifier may not know ("what faster
	// broadband packages do you do?": plans).
	Asks []string
	// AsksWithin are the names in Asks found only inside a longer phrase of another
	// list found: "network name" (wifi_name) in "the wifi network name is gone"
	// (wifi_gone). Of one topic's questions, the longer phrase says what is asked.
	AsksWithin []string
	// Parts are the requests the classifier reads clearly in the parts of a longer text,
	// each part read alone, each request once, in order: its sentences, and the clauses a
	// turn to another request opens ("..., e também queria saber por que a conta veio mais
	// cara"). A long message asking two things ("the internet is slow, could you update the
	// router... Also, why did my bill go up?") has both, where the whole text reads as
	// one or neither. Nil for a text of one part.
	Parts []Scored
	// Err is the classifier's error, when it failed (the reading goes on without it).
	Err error
	// learned are the acts the learned reader added to the word lists'; heard, all it read.
	learned, heard Acts
	// personRefused: the words name a person as the one not wanted (person_refused).
	personRefused bool
}

// ContactIntent is the built-in intents' topic of how and when to reach the telco (the
// agents' hours, a phone, the stores, the website).
const ContactIntent = "contact"

// dropIntent takes intent name out of the reading: the classifier's first choice, its
// ranking and the parts of a longer text.
func (r *Reading) dropIntent(name string) {
	if r.Intent == name {
		r.Intent = OutOfScope
	}
	not := func(s Scored) bool { return s.Intent == name }
	r.Ranked = slices.DeleteFunc(slices.Clone(r.Ranked), not)
	r.Parts = slices.DeleteFunc(slices.Clone(r.Parts), not)
}

// Has reports whether the turn performs act a.
func (r Reading) Has(a Act) bool { return r.Acts.Has(a) }

// OnlyLearned reports an act the learned reader alone read, no list saying it: a weaker
// sign ("y el aparato es uno blanco" read as fed up).
func (r Reading) OnlyLearned(a Act) bool { return r.Has(a) && r.learned.Has(a) }

// Context is what the reader needs to know of the conversation: the question open and
// the buttons on the screen.
type Context struct {
	State string
	Menu  []MenuItem
	// Yes and No are the values of the menu items a yes and a no pick ("yes" and "no" on
	// the update's confirmation, "agent" and "continue" on the offer of an agent); "" when
	// the question is no yes-or-no one.
	Yes, No string
}

// Reader reads customer turns: one pass of the classifier, the acts' word lists and the
// entities.
type Reader struct {
	NLU     NLU
	Lexicon *Lexicon
	// SerialPattern checks a router serial number; nil takes any word of six characters
	// or more with a digit.
	SerialPattern *regexp.Regexp
	// SerialShape is the usual shape of the serials ("AA-0000-AA00": A a letter, 0 a
	// digit, dashes as labels print them), or "" for none: a serial typed in groups is
	// joined in it ("zx 9900 ab 12" is ZX-9900-AB12), and one a character short of it is
	// told (Reading.SerialShort).
	SerialShape string
	// ListsOnly reads the acts by the word lists alone, without the learned reader
	// (actmodel.go): to measure what each adds.
	ListsOnly bool
	// model is the learned reader; nil is the one trained on the embedded turns.
	model *actModel
	// threshold replaces every act's threshold when positive (to choose them).
	threshold float32
}

// Read reads one turn. The classifier is asked once, and not at all for a button tapped
// (the text is a title or a number of the menu on the screen).
func (rd *Reader) Read(ctx context.Context, raw string, in Context) Reading {
	lex := rd.Lexicon
	if lex == nil {
		lex = defaultLexicon()
	}
	r := Reading{Text: raw, Intent: OutOfScope}
	ws := fold(raw)
	r.Words = len(ws)
	r.Question = isQuestion(raw, ws)
	var refused, vetoed Acts
	r.Acts, refused = lex.read(raw)
	tx := newText(raw, lex) // folded once for the lists
	if r.personRefused = lex.textSays(tx, lex.list("person_refused")); r.personRefused {
		// "eu pedi pra atualizar de novo, não pra falar com atendente": the person named is
		// the one not wanted, however far the "agent" stands from the "not"
		r.Acts, refused = r.Acts.Without(ActAskPerson), refused.With(ActAskPerson)
	}
	if r.AsksScam = tx.hasAny(lex.list("scam_asked")); r.AsksScam && r.Has(ActAskPerson) {
		// "Como eu sei que é mesmo da operadora?" names the company, asks for no one
		r.personRefused = true
		r.Acts, refused = r.Acts.Without(ActAskPerson), refused.With(ActAskPerson)
	}
	r.AsksWhatAsked = !r.Tapped && lex.textSays(tx, lex.list("what_asked")) && (r.AsksScam || tx.hasAny(lex.list("id_words")))
	r.GotMessage = !r.Tapped && lex.textSays(tx, lex.list("got_message"))
	listed := r.Acts
	r.Serials, r.SerialZeros, r.SerialOnes = rd.serialsRead(raw)
	r.SerialShort = len(r.Serials) == 1 && shortOfShape(r.Serials[0], rd.SerialShape)
	if i, ok := MatchMenu(raw, in.Menu); ok {
		r.Choice = i + 1
	}
	r.Tapped = r.Choice > 0 && tappedExactly(raw, in.Menu)
	if !rd.ListsOnly && in.State != "" && !r.Tapped {
		// The learned reader reads turns in their state; a button tapped says what it says.
		m := rd.model
		if m == nil {
			m = defaultActModel()
		}
		ps := m.read(raw, in.State)
		heard := ps
		if rest := lex.afterOpener(raw); rest != "" {
			// "va, y la tienda abre los domingos?": an opening "va", "ok", "bueno" says
			// nothing the lists do not read, and the learned reader reads what follows it
			// ("va" alone sounds like "no va", the connection's trouble)
			heard = m.read(rest, in.State)
		}
		if r.Words > shortText {
			// in a longer text a phrase of the lists can mean something else ("no hay luz"
			// beside "por eso el módem está apagado"): where the learned reader all but rules
			// the act out, it is not read (an act it knows only from the lists' entries stays)
			for _, a := range (r.Acts & m.inContext).List() {
				if ps.inState[a] < listVeto && !opensWith(lex, raw, a) {
					r.Acts, vetoed = r.Acts.Without(a), vetoed.With(a)
				}
			}
		}
		learned := heard.acts(rd.threshold) &^ refused
		if learned.Has(ActGreeting) && r.Words > shortText && !m.acts(opening(raw), in.State, rd.threshold).Has(ActGreeting) {
			// a greeting opens a message ("wena, se me cayó el internet"); "desde ayer a la
			// tarde" says when, no "buenas tardes"
			learned = learned.Without(ActGreeting)
		}
		for _, pair := range [][2]Act{{ActAffirm, ActDeny}, {ActGreeting, ActGoodbye}} {
			// where the lists read one of two opposite acts, the learned reader does not
			// add the other: "que tenga buen día" closes
			for i := range 2 {
				if r.Has(pair[i]) {
					learned = learned.Without(pair[1-i])
				}
			}
		}
		r.heard = learned
		r.learned = learned &^ r.Acts
		r.Acts |= learned
	}
	if !r.Tapped && lex.textSays(tx, lex.list("language_handover")) {
		// "sorry my son will continue, he speaks english better": the language named is the
		// one to go on in (a plain list: no act's training turns)
		r.Acts = r.Acts.With(ActLanguageRequest)
	}
	if r.Has(ActLanguageRequest) {
		if r.Language = lex.languageNamed(raw); r.Language == "" {
			r.Acts = r.Acts.Without(ActLanguageRequest) // a language asked for, but none named
		}
	}
	if !r.Tapped && rd.NLU != nil {
		heard, blessed := lex.unblessed(raw)
		res, err := Result{Intent: Thanks, Confidence: 1}, error(nil)
		if heard != "" {
			res, err = rd.NLU.Classify(ctx, heard)
		}
		if blessed {
			// "Deus lhe pague", "Dios se lo pague": a thanks said as a blessing; the
			// classifier hears a payment in it, and reads only the rest
			r.Acts = r.Acts.With(ActThanks)
		}
		if err != nil {
			r.Err = err
		} else {
			r.Intent, r.Confidence, r.Ranked = res.Intent, res.Confidence, res.Ranked
			r.Parts = rd.readParts(ctx, lex, raw)
			if p, ok := onlyRequest(r.Parts); ok && !builtIn(p.Intent) && (r.Intent == OutOfScope || r.Intent == Thanks || r.Intent == Greeting) {
				// "Muchas gracias. ¿Y lo de la factura?": the thanks are the acts', the request
				// is the part's topic. Not the bot's own requests: "Y que es un router? yo no
				// se de esas cosas" asks for no update.
				r.Intent, r.Confidence = p.Intent, p.Confidence
			}
		}
	}
	if a, ok := intentActs[r.Intent]; ok && vetoed.Has(a) && r.Confidence >= 0.8 {
		// the classifier, trained on other texts, reads the request the lists read: "deixa pra
		// lá. vc mesmo consegue reiniciar meu roteador?" calls something off
		r.Acts = r.Acts.With(a)
	}
	r.fuse(lex, in)
	r.Understood = r.Has(ActAcknowledge) && lex.understands(raw)
	r.NotYet = lex.putsOff(raw)
	r.Lost = lex.textSays(tx, lex.list("not_understood"))
	r.Restarted = !r.Tapped && lex.textSays(tx, lex.list("restarted"))
	r.RestartSelf = !r.Tapped && !r.Restarted && lex.textSays(tx, lex.list("restart_self"))
	// "ya lo reinicié y nada" tells of a restart done: it asks for none
	r.RestartOnly = !r.Tapped && lex.restartOnly(raw) && !r.Restarted
	if r.Intent == UpdateStatus && in.State != "updating" && !r.Question && !r.Has(ActStatusQuestion) && !r.Has(ActHowLong) {
		// The classifier hears "ya?" (done yet?) in a "ya" that asks nothing: "ya po" is a
		// Chilean "ok then", "bueno, ya que estamos, actualice el router" asks for the
		// update. Where the words ask no status, the update named is the update asked for,
		// and an ok is an ok; "ya lo reinicié y nada" tells a restart done.
		switch {
		case lex.Button(r.Text, []string{"update_router"}) != "" && !r.Restarted && !r.Has(ActDeclineUpdate) && !r.Has(ActCancel) && !r.Has(ActDeny):
			r.Intent = UpdateRouter
		case r.Acts.Without(ActPolite).Only(ActAcknowledge):
			r.Intent = OutOfScope
		}
	}
	r.NothingAsked = !r.Tapped && lex.textSays(tx, lex.list("nothing_asked"))
	r.ByMistake = !r.Tapped && lex.textSays(tx, lex.list("by_mistake"))
	r.CantWriteNow = !r.Tapped && lex.textSays(tx, lex.list("cant_write_now"))
	r.RefusesNotices = !r.Tapped && lex.refusesNotices(raw)
	r.HowAreYou = !r.Tapped && lex.textSays(tx, lex.list("how_are_you"))
	r.NamesInternet = !r.Tapped && lex.textSays(tx, lex.list("internet_words"))
	r.AsksWait = !r.Tapped && lex.textSays(tx, lex.list("line_wait"))
	r.AsksNeedsUpdate = !r.Tapped && lex.textSays(tx, lex.list("needs_update"))
	r.AsksWhy = !r.Tapped && lex.textSays(tx, lex.list("asks_why"))
	r.AsksPurpose = !r.Tapped && lex.textSays(tx, lex.list("purpose_asked"))
	r.NamesFailure = !r.Tapped && lex.textSays(tx, lex.list("failure_words"))
	r.AsksDrops = !r.Tapped && lex.textSays(tx, lex.list("drops_asked"))
	r.TellsTrouble = !r.Tapped && lex.textSays(tx, lex.list("trouble_told"))
	r.NotWarned = !r.Tapped && lex.textSays(tx, lex.list("not_warned"))
	r.RefusesBot = !r.Tapped && lex.textSays(tx, lex.list("refuses_bot"))
	r.AsksWhatToWrite = !r.Tapped && lex.textSays(tx, lex.list("what_to_write"))
	r.AsksWhatNow = !r.Tapped && lex.textSays(tx, lex.list("what_now"))
	r.AsksMeaning = !r.Tapped && lex.textSays(tx, lex.list("meaning_asked"))
	// "¿pero por qué falló?" asks the cause, not the facts (which are often just said)
	r.AsksWhatFailed = !r.Tapped && lex.textSays(tx, lex.list("what_failed")) && !tx.hasAny(lex.list("why_words"))
	r.AsksIfFailsAgain = !r.Tapped && tx.hasAny(lex.list("if_fails_again"))
	r.AsksFix = !r.Tapped && lex.textSays(tx, lex.list("fix_asked"))
	r.AsksUpdateSafe = !r.Tapped && lex.textSays(tx, lex.list("update_safe"))
	r.PhoneUnanswered = !r.Tapped && tx.hasAny(lex.list("phone_unanswered"))
	r.WhyAsked = !r.Tapped && lex.textSays(tx, lex.list("why_asked"))
	r.Withholds = !r.Tapped && lex.textSays(tx, lex.list("withholds"))
	r.AsksLookup = !r.Tapped && tx.hasAny(lex.list("lookup_asked"))  // "can't you look it up?" asks it too
	r.NamesPerson = !r.Tapped && tx.hasAny(lex.list("person_words")) // "not a person" names one too
	r.AsksWhichBox = !r.Tapped && tx.hasAny(lex.list("which_box"))
	r.CantReach = !r.Tapped && tx.hasAny(lex.list("cant_reach")) // the negation is the words' own
	r.AsksCompensation = !r.Tapped && lex.textSays(tx, lex.list("compensation"))
	r.AsksPassword = !r.Tapped && lex.textSays(tx, lex.list("password_asked"))
	r.AsksWorkThisTime = !r.Tapped && lex.textSays(tx, lex.list("work_this_time"))
	r.AgainAsked = !r.Tapped && r.Question && lex.onlySays(tx, lex.list("again_asked"))
	r.LeavesLine = !r.Tapped && lex.textSays(tx, lex.list("leaves_line"))
	r.GivesUp = !r.Tapped && lex.textSays(tx, lex.list("gives_up"))
	r.AsksInLine = !r.Tapped && lex.textSays(tx, lex.list("line_asked"))
	r.AsksSooner = !r.Tapped && tx.hasAny(lex.list("sooner_asked")) // "não tem nenhum jeito...": the negation is the question's own
	r.AsksCall = !r.Tapped && lex.textSays(tx, lex.list("call_back"))
	r.RejoinsLine = !r.Tapped && lex.textSays(tx, lex.list("rejoin_line"))
	r.AsksIfNot = !r.Tapped && lex.textSays(tx, lex.list("if_not"))
	r.LabelSays = !r.Tapped && lex.textSays(tx, lex.list("label_says"))
	r.DoubtsAnswer = !r.Tapped && lex.textSays(tx, lex.list("thats_it"))
	r.NamesTime = !r.Tapped && lex.textSays(tx, lex.list("time_units"))
	r.LooksAtOther = !r.Tapped && lex.textSays(tx, lex.list("looks_at")) && lex.textSays(tx, lex.list("other_box"))
	r.AnotherRouter = !r.Tapped && (lex.textSays(tx, lex.list("another_router")) ||
		lex.textSays(tx, lex.list("other_one")) && lex.textSays(tx, lex.list("too_another"))) // "y el del cuarto también?"
	r.Corrects = !r.Tapped && tx.hasAny(lex.list("corrects"))
	r.SomeoneElses = !r.Tapped && lex.textSays(tx, lex.list("someone_elses"))
	r.MineIs = !r.Tapped && lex.namesMine(r.Text)
	if !r.Tapped && !refused.Has(ActWorksNow) && lex.textSays(tx, lex.list("works_again")) {
		// "ahora anda joya", "ahí sí ya carga más rápido": the service back, in words the
		// act's lists do not have (a plain list: no act's training turns)
		r.Acts = r.Acts.With(ActWorksNow)
	}
	if r.AsksBillingPerson = !r.Tapped && !refused.Has(ActAskPerson) && lex.textSays(tx, lex.list("billing_person")); r.AsksBillingPerson {
		// "me passa pro financeiro ai": a person, named by the team, in words the act's
		// lists do not have (a plain list: no act's training turns)
		r.Acts = r.Acts.With(ActAskPerson)
	}
	if !r.Tapped && !refused.Has(ActComesBack) && lex.textSays(tx, lex.list("comes_back_words")) {
		// "e se voltar a travar eu faço o que?", "y si se vuelve a trabar?": the trouble
		// coming back, in words the act's lists do not have (a plain list: no act's
		// training turns)
		r.Acts = r.Acts.With(ActComesBack)
	}
	if !r.Tapped && r.Words <= 4 && lex.textSays(tx, lex.list("farewells")) {
		// "bless up", "one love": thanks and goodbye in one, where the classifier hears a
		// hello (a plain list: no act's training turns)
		r.Acts = r.Acts.With(ActGoodbye).Without(ActGreeting)
		if r.Intent == Greeting {
			r.Intent = OutOfScope
		}
	}
	if !r.Tapped && !refused.Has(ActRetry) && lex.textSays(tx, lex.list("retry_slang")) {
		// "seems to be going but slow as. have another crack", "mate I said GO AGAIN": a try
		// again, in words the act's lists do not have (a plain list: no act's training turns)
		r.Acts = r.Acts.With(ActRetry)
	}
	if !r.Tapped && !refused.Has(ActConnectionComplaint) && lex.textSays(tx, lex.list("slow_slang")) {
		// "pero ahora está lentazo", "mas agora tá lentão": slow, in slang the act's lists do
		// not have (a plain list: no act's training turns)
		r.Acts = r.Acts.With(ActConnectionComplaint)
	}
	if !r.Tapped && lex.textSays(tx, lex.list("slams_connection")) {
		// "yo my wifi is trash again": the connection's trouble, angrily; not the Wi-Fi's
		// name and password, and the update offered for it (a plain list: no act's
		// training turns)
		r.Acts = r.Acts.With(ActConnectionComplaint)
	}
	if !r.Tapped && lex.textSays(tx, lex.list("area_trouble")) {
		// "y no sera cosa de la zona? a mis colegas de al lado tb les va lento": an outage
		// in the area asked of (a plain list, as slams_connection)
		r.Acts = r.Acts.With(ActOutageArea)
	}
	if r.UrgesUpdate = !r.Tapped && tx.hasAny(lex.list("urges_update")); r.UrgesUpdate { // the phrases carry their own negation
		// "oi?? ce nao vai reiniciar nao?", "aren't you going to restart it?": the update
		// urged on, impatiently; its "não" refuses nothing. To "shall I go ahead?" the
		// yes, elsewhere the update asked for (a plain list: no act's training turns)
		r.Acts = r.Acts.Without(ActDeny).Without(ActCancel).Without(ActDeclineUpdate)
		if in.Yes == "yes" {
			r.Acts = r.Acts.With(ActAffirm)
		}
		if r.Intent == OutOfScope || r.Intent == Cancel || r.Intent == Greeting {
			r.Intent, r.Confidence = UpdateRouter, 1
		}
	}
	if r.BackAgain = !r.Tapped && lex.textSays(tx, lex.list("back_again")); r.BackAgain && r.OnlyLearned(ActWorksNow) {
		// "im back, its me again": the customer back, not the service; the learned reader
		// hears "it's back" in it (the lists' own "back online" stands)
		r.Acts = r.Acts.Without(ActWorksNow)
	}
	r.AsksItself = !r.Tapped && lex.textSays(tx, lex.list("do_it_yourself"))
	r.AsksTechnician = !r.Tapped && lex.textSays(tx, lex.list("technician_asked"))
	r.TechnicianCame = !r.Tapped && lex.textSays(tx, lex.list("technician_came"))
	// "no sé qué es un router" asks it all the same: no negation undoes the question
	r.AsksWhatRouter = !r.Tapped && tx.hasAny(lex.list("router_asked"))
	r.DescribesRouter = !r.Tapped && tx.hasAny(lex.list("router_looks"))
	r.StillThere = !r.Tapped && lex.textSays(tx, lex.list("still_there"))
	if r.ProblemUntold = !r.Tapped && lex.onlySaysAfterHello(tx, lex.list("problem_untold")); r.ProblemUntold {
		// "tengo un problema" and no more asks for nothing yet: the classifier hears an area
		// outage in "problema", the learned reader an ok or a person; a hello stays
		r.Intent = OutOfScope
		var kept Acts
		for _, a := range []Act{ActGreeting, ActPolite, ActThanks} {
			if r.Has(a) {
				kept = kept.With(a)
			}
		}
		r.Acts = kept
	}
	r.SerialFound = !r.Tapped && len(r.Serials) == 0 && lex.onlySays(tx, lex.list("serial_found"))
	r.AsksOtherNumber = !r.Tapped && r.Question && tx.hasAny(lex.list("other_number"))
	r.AsksProtocol = !r.Tapped && lex.textSays(tx, lex.list("protocol_asked"))
	r.NamesSerial = !r.Tapped && lex.namesSerial(raw)
	r.UpdateNotDone = !r.Tapped && tx.hasAny(lex.list("update_not_done")) // the phrases carry their own negation
	r.AsksBroken = !r.Tapped && lex.textSays(tx, lex.list("router_broken"))
	r.AsksLost = !r.Tapped && lex.textSays(tx, lex.list("lost_anything"))
	r.AsksUnplug = !r.Tapped && tx.hasAny(lex.list("unplug_asked")) // "o no lo toco?": the negation is the question's
	r.AsksData = !r.Tapped && lex.textSays(tx, lex.list("data_asked"))
	r.AsksDataDeleted = !r.Tapped && lex.textSays(tx, lex.list("data_delete"))
	r.OffTopic = !r.Tapped && lex.textSays(tx, lex.list("off_topic"))
	r.Introduces = !r.Tapped && lex.textSays(tx, lex.list("introduces"))
	r.Maybe = !r.Tapped && lex.saysMaybe(tx)
	r.AsksUpdateHelps = !r.Tapped && (r.Has(ActUpdateHelps) || lex.textSays(tx, lex.list("helps_asked")))
	r.AsksRecommend = !r.Tapped && lex.textSays(tx, lex.list("recommend_asked"))
	r.AsksUpdateOrRestart = !r.Tapped && lex.textSays(tx, lex.list("update_or_restart"))
	r.ForOther = !r.Tapped && tx.hasAny(lex.list("for_other")) // "no soy el titular": the negation is what is told
	r.SentHere = !r.Tapped && lex.textSays(tx, lex.list("sent_here"))
	r.AsksHolder = !r.Tapped && tx.hasAny(lex.list("holder_asked")) // "sin él": the negation is the question's
	r.HolderAway = !r.Tapped && tx.hasAny(lex.list("holder_away"))  // "no está": the negation is what is told
	r.AsksActForHolder = !r.Tapped && lex.textSays(tx, lex.list("act_for_holder"))
	r.AsksHolderRouter = !r.Tapped && tx.hasAny(lex.list("holder_router")) // "não moro com ela": the negation is what is told
	r.NotHolders = !r.Tapped && tx.hasAny(lex.list("not_holders"))         // "não é o dela": the negation is what is told
	for _, kin := range []string{"mother", "father", "grandmother", "grandfather", "husband", "wife"} {
		if !r.Tapped && r.HolderKin == "" && tx.hasAny(lex.list("kin_"+kin)) {
			r.HolderKin = kin
		}
	}
	r.NamesPhone = !r.Tapped && namesPhone(serialWords(raw))
	r.AsksWhoDoes = !r.Tapped && lex.textSays(tx, lex.list("who_does"))
	r.RefusesAds = !r.Tapped && tx.hasAny(lex.list("ads_refused")) // "no me mandéis publicidad": the negation is the refusal
	r.AsksTroubleAfter = !r.Tapped && lex.textSays(tx, lex.list("trouble_after"))
	r.AsksNoNeed = !r.Tapped && tx.hasAny(lex.list("no_need_asked")) // "ya no hace falta": the negation is the question's
	r.AsksWhenBack = !r.Tapped && lex.textSays(tx, lex.list("when_back"))
	r.AsksUntilWhen = !r.Tapped && lex.textSays(tx, lex.list("until_when")) && !tx.hasAny(lex.list("opening_named"))
	r.TellsHowOften = !r.Tapped && lex.textSays(tx, lex.list("how_often"))
	r.AsksZone = !r.Tapped && tx.hasAny(lex.list("zone_asked"))
	r.AsksContact = !r.Tapped && tx.hasAny(lex.list("contact_asked")) // "vcs não atendem domingo?" asks it too
	if !r.AsksContact {
		// A classifier hears the contact topic (the agents' hours, a phone, the stores) in
		// "toda hora" (a connection that drops all the time), "pelo número dele" or "which
		// time zone is that?", and the hours told then answer nothing asked: the topic is
		// read only where the words ask how or when to reach us (contact_asked; a language
		// of the operator's lists its own phrases there, README "Adding a language").
		r.dropIntent(ContactIntent)
	}
	r.LightTrouble = !r.Tapped && lex.textSays(tx, lex.list("light_trouble"))
	r.NamesLights = !r.Tapped && tx.hasAny(lex.list("lights_named"))
	r.LightsGood = !r.Tapped && lex.textSays(tx, lex.list("lights_good"))
	r.Lukewarm = !r.Tapped && lex.textSays(tx, lex.list("lukewarm"))
	r.AsksKept = !r.Tapped && tx.hasAny(lex.list("kept_asked")) // "não fica igual?" asks it all the same
	r.AsksToDo = !r.Tapped && lex.textSays(tx, lex.list("anything_to_do"))
	switch {
	case r.Tapped:
	case lex.textSays(tx, lex.list("audio_sent")):
		r.SentMedia = "audio"
	case lex.textSays(tx, lex.list("image_sent")):
		r.SentMedia = "image"
	}
	if !r.Tapped {
		r.Asks, r.AsksWithin = lex.asks(tx)
	}
	r.inContext(in, lex.hasBreak(actWords(raw)) && !lex.deniedAfterBreak(raw), lex.urged(raw))
	if lex.unfinished(raw) && !(in.Yes != "" && r.Has(ActAffirm)) {
		// "Also", then the rest: nothing said yet ("y" to a yes-or-no question is the yes)
		r.Unfinished, r.Acts, r.Choice = true, 0, 0
	}
	// A question about the update ("how is my update going?") names the button's words
	// without choosing it.
	// Nor does a restart the customer did already ("ya lo reinicié y nada") pick the update.
	if r.Choice == 0 && !r.Has(ActStatusQuestion) && !r.Has(ActDeclineUpdate) && !(r.Restarted && lex.restartOnly(raw)) {
		r.Choice = choiceFromWords(lex, raw, ws, in)
	}
	if r.Choice > 0 && in.Menu[r.Choice-1].Value == "wait" && !(r.Tapped && r.Words == 1 && strings.TrimSpace(raw) != in.Menu[r.Choice-1].Title) {
		// "pensándolo bien espero", "see you tomorrow then": choosing to wait for an
		// agent asks for one, going back on nothing (a bare "1" only taps the button)
		r.Acts = r.Acts.With(ActAskPerson).Without(ActChangeOfMind)
	}
	r.NamesUpdate = !r.Tapped && lex.Button(raw, []string{"update_router"}) != ""
	r.NamesAgent = !r.Tapped && listed.Has(ActAskPerson) && !r.Has(ActAboutBot)
	r.RefersBack = !r.Tapped && lex.refersBack(raw)
	if !(len(r.Serials) > 0 && r.Words <= 4) { // "S/N: ZX-9900-AB12" says nothing of the language
		r.Lang, _ = DetectLanguage(raw)
	}
	return r
}

// partConfidence is the classifier's confidence from which a part of a text clearly asks
// for its request.
const partConfidence = 0.85

// InProcess is an NLU that runs in this process, free to ask again (the built-in
// classifier): the reader asks it about a long message's parts too (Reading.Parts).
type InProcess interface {
	NLU
	InProcess() bool
}

// maxParts is the most parts of a text the classifier reads one by one.
const maxParts = 8

// readParts reads the parts of a text of more than one (parts) with the classifier, and
// returns the requests it reads clearly in them, each once, in order; nil for a text of one
// part.
//
// Only an in-process NLU (InProcess: the built-in classifier) reads parts: it costs
// microseconds. Any other (an external service, with its fallback) is asked once per turn,
// for the whole text, as the turn's one reading promises: a long message's second request
// is then not read apart.
func (rd *Reader) readParts(ctx context.Context, lex *Lexicon, raw string) []Scored {
	clf, ok := rd.NLU.(InProcess)
	if !ok || !clf.InProcess() {
		return nil
	}
	ps := lex.parts(raw)
	if len(ps) < 2 {
		return nil
	}
	var out []Scored
	for _, p := range ps[:min(len(ps), maxParts)] {
		if p, _ = lex.unblessed(p); p == "" {
			continue // "Muito obrigado. Deus lhe pague": a thanks, no payment
		}
		res, err := clf.Classify(ctx, p)
		if err != nil || res.Intent == OutOfScope || res.Confidence < partConfidence {
			continue
		}
		if i := slices.IndexFunc(out, func(s Scored) bool { return s.Intent == res.Intent }); i >= 0 {
			out[i].Confidence = max(out[i].Confidence, res.Confidence)
			continue
		}
		out = append(out, Scored{Intent: res.Intent, Confidence: res.Confidence})
	}
	return out
}

// unblessed is raw without the blessings that thank ("Deus lhe pague", "Dios se lo
// pague", "God bless you"), folded, for the classifier, which hears a payment in them;
// blessed reports one was there. A text of nothing else is "" then. A text without one
// is raw itself.
func (lex *Lexicon) unblessed(raw string) (rest string, blessed bool) {
	t := newText(raw, lex)
	if !t.hasAny(lex.list("blessings")) {
		return raw, false
	}
	padded := t.padded
	longest := slices.SortedFunc(slices.Values(lex.list("blessings")), func(a, b string) int { return len(b) - len(a) })
	for _, b := range longest { // "que deus lhe pague" before "deus lhe pague"
		for hasWords(padded, b) {
			padded = strings.Replace(padded, " "+b+" ", " ", 1)
		}
	}
	return strings.TrimSpace(padded), true
}

// onlyRequest is the one request among parts beside the courtesies (thanks, a hello).
func onlyRequest(parts []Scored) (Scored, bool) {
	var found []Scored
	for _, p := range parts {
		if p.Intent != Thanks && p.Intent != Greeting {
			found = append(found, p)
		}
	}
	if len(found) != 1 {
		return Scored{}, false
	}
	return found[0], true
}

// opening is a message's first clause, or its first three words: where a greeting stands.
func opening(raw string) string {
	if i := strings.IndexAny(raw, ",.;:!?¡¿\n"); i > 0 {
		raw = raw[:i]
	}
	if ws := strings.Fields(raw); len(ws) > shortText {
		raw = strings.Join(ws[:shortText], " ")
	}
	return raw
}

// opensWith reports what the learned reader does not veto in a list's reading: a yes or a
// no that opens the message ("no, cuánto debo de la factura?"), the answer whatever follows,
// and anger in a word of the firm_anger lists.
func opensWith(lex *Lexicon, raw string, a Act) bool {
	switch a {
	case ActAffirm, ActDeny:
		return lex.Acts(opening(raw)).Has(a)
	case ActFrustration:
		// nor an insult to the service ("quiero dar de baja esta porquería"): anger,
		// whatever the request beside it
		return lex.saysAny(raw, lex.list("firm_anger"))
	}
	return false
}

// questionWords open a question without a question mark ("how long", "cuanto falta").
var questionWords = wordSet("how hows what whats when where wheres why which who is are can could will do does did any como cuando cuanto cuanta donde que qual quando quanto onde cade porque por")

// openers are the words a question may follow ("ugh how long is this going to take",
// "so is it updated or not", "oye cuanto falta").
var openers = wordSet("ugh so and but ok okay hey hi hello well hmm um oh y e pero pues entonces oye bueno hola oi ei entao mas ai wait espera pera perai")

// isQuestion reports a text that asks: a question mark, a question word first, an opening
// "e agora já", "y ahora ya", or a closing "or not" ("so is my internet working or not", "tengo internet o no").
func isQuestion(raw string, ws []string) bool {
	if strings.Contains(raw, "?") || len(ws) > 0 && questionWords[ws[0]] || len(ws) > 1 && openers[ws[0]] && questionWords[ws[1]] {
		return true
	}
	if len(ws) > 3 && (ws[0] == "e" && ws[1] == "agora" && ws[2] == "ja" || ws[0] == "y" && ws[1] == "ahora" && ws[2] == "ya") {
		// "e agora ja ta funcionando a internet", "y ahora ya funciona el internet", dictated
		// with no question mark: an opening "and now, already" asks whether it is so
		return true
	}
	if n := len(ws); n >= 3 && ws[n-1] == "not" && ws[n-2] == "or" || n >= 3 && (ws[n-1] == "no" || ws[n-1] == "nao") && (ws[n-2] == "o" || ws[n-2] == "ou") {
		return true
	}
	return false
}

// fuse joins what the classifier told to the acts its words said, where the two name the
// same thing, and settles the conflicts between acts.
func (r *Reading) fuse(lex *Lexicon, in Context) {
	a := r.Acts
	if in.State != "" && !questionStates[in.State] && !slices.ContainsFunc(in.Menu, func(it MenuItem) bool { return it.Value == "skip" }) {
		a = a.Without(ActSkip) // nothing asked to skip: "gracias por nada", "ninguna, es por la factura"
	}
	if in.State == "idle" || in.State == "anything_else" {
		a = a.Without(ActChangeOfMind) // nothing under way to go back on
	}
	// The classifier's update_status and thanks are not taken: it also says so of questions
	// about what an update does ("que hace la actualización?") and of "tomorrow works",
	// "ya quedó?"; the words tell a status question or a thanks.
	switch r.Intent {
	case HumanAgent:
		// "un momento", "mejor en español": the classifier takes them for a request for a
		// person; the words did not say so.
		// "tenta novamente por favor 🙏" asks to try again, not for a person.
		// In line or at the handoff's questions the customer is on the way to one: "can
		// the agent speak spanish?", "nothing, just put me through" ask for none.
		if in.State != "in_line" && in.State != "intake" && !a.Has(ActLanguageRequest) && !a.Only(ActPolite) && !a.Has(ActAcknowledge) && !a.Has(ActSkip) && !a.Has(ActRetry) && r.Confidence >= 0.8 && !lex.vetoed(ActAskPerson, r.Text) &&
			!r.personRefused { // "não pra falar com atendente"
			a = a.With(ActAskPerson)
		}
	case Greeting:
		// Not a serial ("HG8145V5A0C7" looks like nothing the classifier knows) nor "blz".
		if r.Words <= 3 && a.Without(ActPolite) == 0 && len(r.Serials) == 0 {
			a = a.With(ActGreeting)
		}
	}
	// While the update runs, an "ok?" asks whether it goes well: "todo bien?", "all good?".
	if in.State == "updating" && r.Question && a.Without(ActPolite).Only(ActAcknowledge) {
		a = a.Without(ActAcknowledge).With(ActStatusQuestion)
	}
	// A status question asks ("ya funciona?"); "en realidad ya funciona" tells. The
	// learned reader tells them apart without a question mark ("dne yet", "any news").
	if a.Has(ActStatusQuestion) && !r.Question && !r.heard.Has(ActStatusQuestion) {
		a = a.Without(ActStatusQuestion)
	}
	if a.Has(ActAffirm) && a.Has(ActDeny) {
		// "sí pero ahora no": the no after a "but" stands; "yes no" says nothing.
		if lex.hasBreak(actWords(r.Text)) {
			a = a.Without(ActAffirm)
		} else {
			a = a.Without(ActAffirm).Without(ActDeny)
		}
	}
	if a.Has(ActAffirm) && (a.Has(ActStatusQuestion) || a.Has(ActHowLong)) && lex.hasBreak(actWords(r.Text)) {
		// "ok pero cuánto tarda?", "sim mas quanto tempo demora?": the question after a "but"
		// comes before the yes
		a = a.Without(ActAffirm)
	}
	if a.Has(ActAffirm) && r.learned.Has(ActAffirm) && (a.Has(ActHowLong) || a.Has(ActWhereSerial)) && strings.Contains(r.Text, "?") {
		// "e até que horas vai isso?", "tá bom. e onde fica isso?": a question of how long
		// or where that only the learned reader hears as a yes asks; it says no yes
		a = a.Without(ActAffirm)
	}
	if a.Has(ActChangeOfMind) && a.Has(ActAffirm) {
		// "sí, con una persona mejor", "yeah actually can i talk to someone": a yes that
		// says how, going back on nothing
		a = a.Without(ActChangeOfMind)
	}
	if a.Has(ActChangeOfMind) && a.Has(ActAskPerson) && slices.ContainsFunc(in.Menu, func(it MenuItem) bool { return it.Value == "continue" }) {
		// "mejor espero al agente" where the bot offers an agent or to keep chatting
		// answers the offer, going back on nothing
		a = a.Without(ActChangeOfMind)
	}
	if a.Has(ActChangeOfMind) && a.Has(ActDeny) && in.No == "" {
		// "sabes q, mejor no, quiero hablar con alguien" where no yes-or-no question is
		// open: the "no" is the turn back, no answer
		a = a.Without(ActDeny)
	}
	if a.Has(ActDeny) && a.Has(ActOutageArea) && len(in.Menu) > 0 && in.No == "" {
		// "neither, the whole area lost service" at a menu: the "none of these" tells
		// the outage, which is the answer
		a = a.Without(ActDeny)
	}
	if a.Has(ActAffirm) && restStates[in.State] {
		// Nothing asked, no yes: "de acuerdo", "sale", "fechou" while the update runs
		// acknowledge.
		a = a.Without(ActAffirm).With(ActAcknowledge)
	}
	if a.Has(ActFrustration) || a.Has(ActAffirm) || a.Has(ActRetry) {
		// "beleza, pode" says yes, "dale, una vez más" urges the retry on; "falhou de
		// novo, ótimo." is no acknowledgement ("vale, adiós" is both, and closes)
		a = a.Without(ActAcknowledge)
	}
	if a.Has(ActSkip) {
		a = a.Without(ActGoodbye) // "nada" to a question skips it
	}
	if a.Has(ActStatusQuestion) && in.State == "updating" {
		// While the update runs, "a luz ficou vermelha, é normal?", "ainda não voltou a net,
		// tá certo isso?" ask about the update, no complaint of the connection
		a = a.Without(ActConnectionComplaint)
	}
	if a.Has(ActStatusQuestion) {
		a = a.Without(ActGoodbye) // "ya está?" asks
		if r.Question && r.Words <= 3 {
			a = a.Without(ActAffirm).Without(ActAcknowledge) // "ya??", "listo?": done?, no ok
		}
	}
	if a.Has(ActSkip) && a.Has(ActDeny) {
		a = a.Without(ActDeny) // "no, skip it", "nah skip": the no is the skip
	}
	if a.Has(ActOutageArea) {
		// "no hay internet en todo el barrio" is the area's outage; "...y yo tampoco", "and
		// so am I" add the customer's own connection.
		if lex.ownConnection(r.Text) {
			a = a.With(ActConnectionComplaint)
		} else {
			a = a.Without(ActConnectionComplaint)
		}
	}
	if a.Has(ActSkip) && a.Has(ActCancel) {
		a = a.Without(ActSkip) // "nada, cancela": the "nada" opens the cancel
	}
	if len(r.Serials) > 0 && (in.State == "confirm_update" || in.State == "update_failed") && lex.namesMine(r.Text) {
		// "no, mine is ZX-7100-KP09" where a router was shown: not that one
		a = a.With(ActWrongRouter)
	} else if len(r.Serials) > 0 && in.State == "ask_serial" && len(strings.Fields(r.Text)) <= 4 && r.learned.Has(ActWrongRouter) && lex.namesMine(r.Text) {
		// "mine is ZX-7100-KP09" answering the question for the serial: the serial given,
		// with no router shown that could be the wrong one
		a = a.Without(ActWrongRouter)
	}
	if a.Has(ActWhereSerial) && in.State != "" && in.State != "ask_serial" && !lex.namesSerial(r.Text) {
		// Away from the question for the serial, "ni idea" is no idea of something else
		// ("ni idea, omitir" at the intake, "es mío ZX-9900-AB12? ni idea"); "where do i
		// check the serial?" names it. Asked as a question ("y dónde encuentro eso que
		// me pide?"), it still asks where something is: WhereAsked.
		r.WhereAsked = r.Question
		a = a.Without(ActWhereSerial)
	}
	if a.Has(ActWhereSerial) {
		// "I can't find it, forget it" is still about the label, and "maybe I gave the
		// wrong serial, where is it?" asks where it is.
		a = a.Without(ActCancel).Without(ActWrongRouter)
	}
	if in.State == "in_line" || in.State == "intake" {
		// On the way to a person already, the customer asks for none: "can the agent
		// speak spanish?", "nothing, just put me through", "the agent needs my serial?"
		// (the request stays in the intent, human_agent).
		a = a.Without(ActAskPerson)
	}
	if a.Has(ActAboutBot) {
		a = a.Without(ActAskPerson) // "are you a real person?" asks what the bot is, not for one
	}
	if a.Has(ActDeclineUpdate) {
		a = a.Without(ActStatusQuestion) // "no router update" asks nothing of one
	}
	if a.Has(ActWrongRouter) && r.learned.Has(ActWrongRouter) && r.Words <= 2 && len(r.Serials) == 0 &&
		r.Intent == UpdateRouter && r.Confidence >= 0.9 {
		// "router", "el módem" alone, after the trouble was told: the router named, and
		// nothing said of whose it is; the lists' "not mine", "otro router" stand
		a = a.Without(ActWrongRouter)
	}
	r.Acts = a
}

// intentActs are the intents that are an act's request: where the classifier reads one
// sure, a list's act the learned reader had ruled out stands.
var intentActs = map[string]Act{Cancel: ActCancel, HumanAgent: ActAskPerson, Greeting: ActGreeting, Thanks: ActThanks, UpdateStatus: ActStatusQuestion}

// restStates are the states where nothing is asked.
var restStates = map[string]bool{"idle": true, "updating": true, "in_line": true}

// questionStates are the states that ask a question the customer may skip.
var questionStates = map[string]bool{"ask_serial": true, "intake": true}

// inContext reads the acts against the question open: to a yes-or-no question, "ok",
// 👍, "porfa" or "dale" is the yes, and "entendi", "got it" or "ya veo" none; where Skip is offered a plain no ("I'd rather not") skips;
// at "anything else?" "buenas noches" closes; then the acts pick the menu's buttons.
func (r *Reading) inContext(in Context, but, urged bool) {
	a := r.Acts
	if a.Has(ActGoodbye) && a.Has(ActGreeting) {
		// "boa noite", "buenas noches", 👋: closing at "anything else?", opening elsewhere
		if in.State == "anything_else" {
			a = a.Without(ActGreeting)
		} else {
			a = a.Without(ActGoodbye)
		}
	}
	skipOffered := slices.ContainsFunc(in.Menu, func(it MenuItem) bool { return it.Value == "skip" })
	if skipOffered && a.Has(ActDeny) && !a.Has(ActAffirm) {
		a = a.Without(ActDeny).With(ActSkip)
	}
	if a.Has(ActFrustration) && !r.learned.Has(ActFrustration) && r.learned.Has(ActAffirm) {
		// "y encima pago puntual todos los meses" to "shall I put you through?": a grievance
		// the word lists read, and no yes in their words; the learned reader's yes in it
		// consents to nothing
		a = a.Without(ActAffirm)
	}
	if r.Question && r.Confidence >= 0.85 && !builtIn(r.Intent) {
		// "tem plano de 500 mega?" to "shall I put you through?", "quanto tá minha
		// fatura?" while the update runs, "hw do i pay my bil??": a question the
		// classifier clearly reads as a request of its own (a topic) asks it, and neither
		// says yes, asks after the update nor is anger, whatever the learned reader hears
		// in it (the lists' own words of anger stand)
		a = a &^ (r.learned & (Acts(0).With(ActAffirm).With(ActStatusQuestion).With(ActFrustration)))
	}
	if r.Lost {
		// "não entendi" to "shall I put you through?": neither the acknowledgement nor
		// the yes the learned reader hears in "entendi"; and "I don't get it" alone is
		// no "no" either
		answers := Acts(0).With(ActAcknowledge).With(ActAffirm)
		if r.Words <= lostWords {
			a &^= answers.With(ActDeny)
		} else {
			a &^= r.learned & answers
		}
	}
	if r.Understood && r.learned.Has(ActAffirm) {
		// "got it" says the answer was understood: no yes, though the learned reader
		// hears one in it
		a = a.Without(ActAffirm).With(ActAcknowledge)
	}
	// Only a short "ok" is the yes: "ok, but what does it do" is not; "entendi" (understood)
	// acknowledges and consents to nothing, and "hang on" puts the question off.
	if in.Yes != "" && (urged && !a.Has(ActDeny) || a.Without(ActPolite).Only(ActAcknowledge) && r.Words <= 4 && !r.Question && !r.Understood && !r.NotYet || a.Only(ActPolite) && r.Choice == 0) {
		a = a.Without(ActAcknowledge).With(ActAffirm)
	}
	r.Acts = a
	if r.Choice == 0 {
		r.Choice = choiceFromActs(a, in, but)
	}
}

// actButtons are the menu values an act picks, in order of preference: a request for a
// person taps "Talk to an agent", or "Wait for an agent" where that is the button.
var actButtons = []struct {
	act    Act
	values []string
}{
	{ActAskPerson, []string{"agent", "wait"}},
	{ActRetry, []string{"retry"}},
	{ActCancel, []string{"cancel"}},
	{ActSkip, []string{"skip"}},
}

// choiceFromActs is the button the acts pick when the text named none: the yes or no of a
// yes-or-no question (a cancel is the plain No, not "Keep chatting"), an act's own button
// ("pasame con un humano" at "Talk to an agent"). Acts that pick two different buttons, or
// a cancel beside a request for a person ("cancel and talk to an agent"), pick none; so
// does a wrong router or a language asked for ("no, can you speak portuguese"), which
// are no answer to the question, and a yes or no with a "but" ("yes but my router is
// broken", "no but my internet is still slow"): it answers with a condition, which no
// button says; but = false where the "but" turns to a plain no ("yes but not now": No).
func choiceFromActs(a Acts, in Context, but bool) int {
	if a.Has(ActWrongRouter) || a.Has(ActLanguageRequest) || len(in.Menu) == 0 || but && (a.Has(ActAffirm) || a.Has(ActDeny)) ||
		a.Has(ActCancel) && a.Has(ActAskPerson) {
		return 0
	}
	var values []string
	if in.Yes != "" && a.Has(ActAffirm) {
		values = append(values, in.Yes)
	}
	if in.No != "" && (a.Has(ActDeny) || a.Has(ActCancel) && !a.Has(ActAffirm) && in.No == "no") {
		values = append(values, in.No)
	}
	for _, ab := range actButtons {
		if !a.Has(ab.act) {
			continue
		}
		for _, v := range ab.values {
			if slices.ContainsFunc(in.Menu, func(it MenuItem) bool { return it.Value == v }) {
				values = append(values, v)
				break
			}
		}
	}
	choice := 0
	for _, v := range values {
		i := slices.IndexFunc(in.Menu, func(it MenuItem) bool { return it.Value == v })
		if choice != 0 && choice != i+1 {
			return 0
		}
		choice = i + 1
	}
	return choice
}

// ordinals name a menu item by its place: "the first one", "la primera", "a segunda".
var ordinals = map[string]int{"first": 1, "primera": 1, "primero": 1, "primeira": 1, "primeiro": 1,
	"second": 2, "segunda": 2, "segundo": 2, "third": 3, "tercera": 3, "tercero": 3, "terceira": 3, "terceiro": 3}

// choiceFromWords is the button a text picks in words that are not a title or a
// short variant (MatchMenu): the number with politeness or a remark ("option 2 pls",
// "2 ASAP this is a joke"), the place ("the first one"), or a button's typed
// phrases in the acts files ("eu espero" for Wait for an agent, "update it please").
func choiceFromWords(lex *Lexicon, raw string, ws []string, in Context) int {
	if len(in.Menu) == 0 || len(ws) == 0 {
		return 0
	}
	core := make([]string, 0, len(ws))
	for _, w := range ws {
		if !lex.polite(w) {
			core = append(core, w)
		}
	}
	if len(core) > 0 && len(core) < len(ws) {
		if i, ok := MatchMenu(strings.Join(core, " "), in.Menu); ok {
			return i + 1
		}
	}
	if n, err := strconv.Atoi(ws[0]); err == nil && len(ws) > 1 && n >= 1 && n <= len(in.Menu) &&
		!slices.Contains(lex.list("quantity_units"), ws[1]) { // "2 hours?? i work from home": how long, no button
		return n
	}
	if len(ws) <= 4 {
		for _, w := range ws {
			if n := ordinals[w]; n >= 1 && n <= len(in.Menu) {
				return n
			}
		}
	}
	values := make([]string, len(in.Menu))
	for i, it := range in.Menu {
		values[i] = it.Value
	}
	if v := lex.Button(raw, values); v != "" {
		return slices.IndexFunc(in.Menu, func(it MenuItem) bool { return it.Value == v }) + 1
	}
	return 0
}

// tappedExactly reports a text that is a menu item's title as WhatsApp sends it back, or
// its number: a tap, which needs no classifier.
func tappedExactly(raw string, menu []MenuItem) bool {
	t := strings.TrimSpace(raw)
	for i, it := range menu {
		if strings.EqualFold(t, it.Title) || t == string(rune('1'+i)) {
			return true
		}
	}
	return false
}

// serials finds the serial numbers of a text: a serial typed in groups ("zx 9900 ab12",
// "o numero é zx 9900 ab12", "kt 2231 xb 09"), all the groups of the run, two of them
// with a digit and one with a letter, joined by dashes as labels print them (or without,
// when only that matches the pattern); else the words that are one ("S/N: ZX-9900-AB12",
// "el número de serie es ZX-9900-AB12"); else two or three short groups in a row.
func (rd *Reader) serials(text string) []string {
	words := serialWords(text)
	lex := rd.Lexicon
	if lex == nil {
		lex = defaultLexicon()
	}
	// A run of groups typed with spaces is read whole ("kt 2231 xb 09", "serial kt 2231 xb
	// 09"), never the three of it that happen to make one (2231-XB-09 is another router).
	// The label's own words before it ("S/N kt 2231 xb09", "SN: ...", "Nº KT...") are no
	// groups of it: N-KT-2231-XB09 would be another router.
	// A phone number typed in groups ("81 3333 4444") is never a serial's groups, nor
	// the word before it one of them: OUTRO-81-3333 is no router.
	words = phoneless(words)
	for _, run := range rd.groupRuns(words) {
		if s, ok := rd.grouped(lex.unlabelled(run)); ok {
			return []string{s}
		}
	}
	var found []string
	for i, w := range words {
		if i+1 < len(words) {
			if whole, ok := rd.joinSplitSerial(w, words[i+1]); ok {
				w = whole
			}
		}
		if rd.isSerial(w) && (rd.SerialPattern != nil || len(w) >= 6) && !slices.Contains(found, w) {
			found = append(found, w)
		}
	}
	if len(found) > 0 {
		return found
	}
	for n := 3; n >= 2; n-- {
		for i := 0; i+n <= len(words); i++ {
			if lex.serialLabels[words[i]] {
				continue // "N KT 2231": a label's N, and the serial after it
			}
			if s, ok := rd.grouped(words[i : i+n]); ok {
				return []string{s}
			}
		}
	}
	return nil
}

// joinSplitSerial joins a dashed serial whose last group is letters only and the digits typed
// after a space ("zx-9900-ab 12", "KT-2231-XB 09"): the serial is ZX-9900-AB12, and the
// part before the space alone, ZX-9900-AB, is another router (or none), never to be
// updated in the customer's name.
func (rd *Reader) joinSplitSerial(w, next string) (string, bool) {
	i := strings.LastIndexByte(w, '-')
	if i < 0 || i == len(w)-1 || len(next) > 3 || strings.ContainsFunc(next, func(r rune) bool { return r < '0' || r > '9' }) {
		return "", false
	}
	if strings.ContainsAny(w[i+1:], "0123456789") || !isAlnum(w[i+1:]) {
		return "", false
	}
	whole := w + next
	return whole, rd.isSerial(whole)
}

// serialWords are the words of a text as serials reads them: split at spaces and at the
// punctuation around a serial ("S/N:", "(ZX-9900-AB12)"), upper-cased, without a
// sentence's last stop.
func serialWords(text string) []string {
	words := strings.FieldsFunc(text, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune(":;,/()\"'", r) })
	for i, w := range words {
		words[i] = strings.ToUpper(strings.TrimRight(w, ".!?"))
	}
	return words
}

// phoneDigits is the fewest digits of a phone number typed in groups of digits only
// ("81 3333 4444", "+55 11 98765 4321"); a serial's groups typed with spaces have letters
// between them.
const phoneDigits = 8

// phoneless is words with each run of two or more groups of digits only that holds a
// phone number's digits ("81 3333 4444") made a break no serial is read across: such a
// run is a phone number, and its groups are no serial's.
func phoneless(words []string) []string {
	digitsOnly := func(w string) bool {
		w = strings.TrimPrefix(w, "+")
		return w != "" && !strings.ContainsFunc(w, func(r rune) bool { return (r < '0' || r > '9') && r != '-' }) &&
			strings.ContainsAny(w, "0123456789")
	}
	var out []string
	for i := 0; i < len(words); {
		j, n := i, 0
		for j < len(words) && digitsOnly(words[j]) {
			for _, r := range words[j] {
				if r >= '0' && r <= '9' {
					n++
				}
			}
			j++
		}
		if j-i >= 2 && n >= phoneDigits {
			if out == nil {
				out = slices.Clone(words[:i])
			}
			out = append(out, "·") // a break: no group, no serial, no label
			i = j
			continue
		}
		if out != nil {
			out = append(out, words[i:max(j, i+1)]...)
		}
		i = max(j, i+1)
	}
	if out == nil {
		return words
	}
	return out
}

// namesPhone reports words that hold a phone number typed in groups of digits ("81 3333
// 4444"), as phoneless reads one.
func namesPhone(words []string) bool {
	return slices.Contains(phoneless(words), "·")
}

// unlabelled is a run of groups without the label's words that open it: "S N KT 2231
// XB09" is KT 2231 XB09.
func (lex *Lexicon) unlabelled(run []string) []string {
	i := 0
	for i < len(run) && lex.serialLabels[run[i]] && !strings.ContainsAny(run[i], "0123456789") {
		i++
	}
	return run[i:]
}

// Serials finds the serial numbers of a text as Read does, and reports whether the
// letter O was read as a zero: for a message the bot does not answer (one written to an
// agent), whose serial it keeps.
func (rd *Reader) Serials(text string) ([]string, bool) { return rd.serialsZeroed(text) }

// serialsRead finds the serial numbers of a text as serialsZeroed does, and then reads
// the letter l typed in a group of digits ("ab l2", "l234") as the one it most likely is,
// when that makes other serials the pattern takes; it reports each reading it made.
func (rd *Reader) serialsRead(text string) (serials []string, zeros, ones bool) {
	serials, zeros = rd.serialsZeroed(text)
	read := text
	if zeros {
		read = zeroGroups(text)
	}
	if oned := rd.serials(oneGroups(read)); len(oned) > 0 && !slices.Equal(serials, oned) {
		return oned, zeros, true
	}
	return serials, zeros, false
}

// oneGroups is text with the letter l made a one in each group of digits ("l2", "99l0";
// not "ab12" nor the word "l"): lookalikeInGroups.
func oneGroups(text string) string { return lookalikeInGroups(text, 'l', '1') }

// shapeOf is the shape of s: each letter an A, each digit a 0, the rest as it is.
func shapeOf(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsLetter(r):
			return 'A'
		case unicode.IsDigit(r):
			return '0'
		}
		return r
	}, s)
}

// shortOfShape reports a serial whose letters and digits are those of shape with one of
// them missing ("ZX9900AB1", "ZX-990-AB12" of AA-0000-AA00); false with no shape.
func shortOfShape(serial, shape string) bool {
	if shape == "" {
		return false
	}
	got := strings.ReplaceAll(shapeOf(serial), "-", "")
	want := strings.ReplaceAll(shape, "-", "")
	if len(got) != len(want)-1 {
		return false
	}
	for i := range want {
		if want[:i]+want[i+1:] == got {
			return true
		}
	}
	return false
}

// serialsZeroed finds the serial numbers of a text as serials does, reading the letter O
// typed in a group of digits ("99OO", "2O31") as the zero it most likely is, when that
// makes the serials the pattern takes; it reports whether it did.
func (rd *Reader) serialsZeroed(text string) ([]string, bool) {
	typed := rd.serials(text)
	zeroed := rd.serials(zeroGroups(text))
	if len(zeroed) > 0 && !slices.Equal(typed, zeroed) {
		return zeroed, true
	}
	return typed, false
}

// zeroGroups is text with the letter O made a zero in each group of digits ("99OO",
// "o231"; not "ZX99OO" nor the word "o"): lookalikeInGroups.
func zeroGroups(text string) string { return lookalikeInGroups(text, 'o', '0') }

// lookalikeInGroups is text with letter (either case) made digit in each group of digits:
// a run of letters and digits between spaces, dashes or the text's ends that is only
// digits and that letter, with a digit.
func lookalikeInGroups(text string, letter, digit rune) string {
	rs := []rune(text)
	for i := 0; i < len(rs); {
		if !unicode.IsLetter(rs[i]) && !unicode.IsDigit(rs[i]) {
			i++
			continue
		}
		j, hasDigit, only := i, false, true
		for ; j < len(rs) && (unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j])); j++ {
			hasDigit = hasDigit || unicode.IsDigit(rs[j])
			only = only && (unicode.IsDigit(rs[j]) || unicode.ToLower(rs[j]) == letter)
		}
		if hasDigit && only {
			for k := i; k < j; k++ {
				if unicode.ToLower(rs[k]) == letter {
					rs[k] = digit
				}
			}
		}
		i = j
	}
	return string(rs)
}

// maxGroups is the most groups a serial typed with spaces is read in, when the message
// is only the serial.
const maxGroups = 6

// groupRuns are the runs of words that may be the groups of one serial: two to maxGroups
// in a row, each with a digit or of at most three letters, none a word of the acts' lists
// ("its", "es").
func (rd *Reader) groupRuns(words []string) [][]string {
	lex := rd.Lexicon
	if lex == nil {
		lex = defaultLexicon()
	}
	group := func(w string) bool {
		if len(w) > 8 || !isAlnum(w) {
			return false
		}
		return strings.ContainsAny(w, "0123456789") || len(w) <= 3 && !lex.vocab[strings.ToLower(w)]
	}
	var runs [][]string
	for i := 0; i < len(words); {
		j := i
		for j < len(words) && group(words[j]) {
			j++
		}
		if n := j - i; n >= 2 && n <= maxGroups {
			runs = append(runs, words[i:j])
		}
		i = max(j, i+1)
	}
	return runs
}

// grouped joins the groups of a serial typed with spaces, if they make one.
func (rd *Reader) grouped(groups []string) (string, bool) {
	digits, letters := 0, false
	for _, g := range groups {
		if len(g) > 8 || !isAlnum(g) {
			return "", false
		}
		if strings.ContainsAny(g, "0123456789") {
			digits++
		}
		letters = letters || strings.ContainsFunc(g, unicode.IsLetter)
	}
	if digits < 2 || !letters {
		return "", false
	}
	if s, ok := rd.inShape(groups); ok {
		return s, true
	}
	for _, sep := range []string{"-", ""} {
		if s := strings.Join(groups, sep); rd.isSerial(s) && (rd.SerialPattern != nil || len(s) >= 6) {
			return s, true
		}
	}
	return "", false
}

// inShape joins groups, each with a dash or none after it, in the usual shape of the
// serials ("ZX 9900 AB 12" is ZX-9900-AB12), if one way makes it.
func (rd *Reader) inShape(groups []string) (string, bool) {
	if rd.SerialShape == "" || len(groups) > maxGroups {
		return "", false
	}
	for mask := 0; mask < 1<<(len(groups)-1); mask++ {
		s := groups[0]
		for i, g := range groups[1:] {
			if mask&(1<<i) != 0 {
				s += "-"
			}
			s += g
		}
		if shapeOf(s) == rd.SerialShape && rd.isSerial(s) {
			return s, true
		}
	}
	return "", false
}

func isAlnum(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return s != ""
}

// isSerial reports whether s can be a serial number: it has a digit (without that rule,
// "cancel" would match the default pattern) and matches the pattern when there is one.
func (rd *Reader) isSerial(s string) bool {
	return strings.ContainsAny(s, "0123456789") && !speed.MatchString(s) && (rd.SerialPattern == nil || rd.SerialPattern.MatchString(s))
}

// speed is a speed or a size as customers write it ("50mbps", "100MB", "300megas",
// "1gb", "10-mbps"): a number and its unit, never a router's serial.
var speed = regexp.MustCompile(`(?i)^\d+([.,]\d+)?-?(MBPS|MBP|MBITS?|MBS|MB|MEGAS?|MEGABITS?|MEGABYTES?|GBPS|GBITS?|GBS|GB|GIGAS?|GIGABITS?|KBPS|KBS|KB)$`)

// DefaultSerialPattern is ROUTER_ID_PATTERN's default: the serial numbers the bot takes
// when the operator sets none.
var DefaultSerialPattern = regexp.MustCompile(`^[A-Z0-9][A-Z0-9-]{5,39}$`)

// builtIn reports one of the bot's own intents (or none): not a topic's.
func builtIn(intent string) bool {
	switch intent {
	case UpdateRouter, UpdateStatus, HumanAgent, Cancel, Greeting, Thanks, Help, OutOfScope, "":
		return true
	}
	return false
}

// lostWords is the most words of a message that only says the customer did not understand
// ("i didnt understand that").
const lostWords = 5
