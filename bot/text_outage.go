package bot

// Texts of outage awareness (outage.go). They join the catalogue at start.
const (
	msgOutageETA      msgKey = "outage_eta"
	msgOutageNoETA    msgKey = "outage_no_eta"
	msgOutageAsk      msgKey = "outage_ask"
	msgOutageWillTell msgKey = "outage_will_tell"
	msgOutageNoNotice msgKey = "outage_no_notice"
	msgOutageOver     msgKey = "outage_over"
	btnNotifyFixed    msgKey = "btn_notify_fixed"
)

var outageTexts = map[string]map[msgKey]string{
	"en": {
		msgOutageETA:      "There's a service outage in your area, so restarting your router won't help right now. Our technicians are working on it and expect the service to be back %s.",
		msgOutageNoETA:    "There's a service outage in your area, so restarting your router won't help right now. Our technicians are working on it, but there's no estimated time yet.",
		msgOutageAsk:      "Shall I tell you here when the service is back?",
		msgOutageWillTell: "Done: I'll write to you here as soon as the service is back.",
		msgOutageNoNotice: "OK. If you need anything else, write to me here.",
		msgOutageOver:     "Good news: the outage in your area is over, and your connection should be back. If it still isn't working, write to me here and I'll help.",
		btnNotifyFixed:    "Tell me when fixed",
	},
	"es": {
		msgOutageETA:      "Hay una falla del servicio en tu zona, así que reiniciar el router no va a ayudar por ahora. Nuestros técnicos ya están trabajando en ello y calculan que el servicio vuelva %s.",
		msgOutageNoETA:    "Hay una falla del servicio en tu zona, así que reiniciar el router no va a ayudar por ahora. Nuestros técnicos ya están trabajando en ello, pero todavía no hay una hora estimada.",
		msgOutageAsk:      "¿Quieres que te avise por aquí cuando vuelva el servicio?",
		msgOutageWillTell: "Listo: te escribo por aquí en cuanto vuelva el servicio.",
		msgOutageNoNotice: "De acuerdo. Si necesitas algo más, escríbeme por aquí.",
		msgOutageOver:     "¡Buenas noticias! La falla en tu zona ya se resolvió y tu conexión debería haber vuelto. Si sigue sin funcionar, escríbeme por aquí y te ayudo.",
		btnNotifyFixed:    "Sí, avísame",
	},
	"pt": {
		msgOutageETA:      "Há uma falha no serviço na sua região, então reiniciar o roteador não vai ajudar agora. Nossos técnicos já estão trabalhando nisso e a previsão é que o serviço volte %s.",
		msgOutageNoETA:    "Há uma falha no serviço na sua região, então reiniciar o roteador não vai ajudar agora. Nossos técnicos já estão trabalhando nisso, mas ainda não temos previsão de retorno.",
		msgOutageAsk:      "Quer que eu te avise por aqui quando o serviço voltar?",
		msgOutageWillTell: "Combinado: te aviso por aqui assim que o serviço voltar.",
		msgOutageNoNotice: "Tudo bem. Se precisar de mais alguma coisa, é só me chamar aqui.",
		msgOutageOver:     "Boa notícia: a falha na sua região foi resolvida e a sua conexão já deve ter voltado. Se continuar sem funcionar, me chame aqui que eu te ajudo.",
		btnNotifyFixed:    "Sim, me avise",
	},
}

func init() {
	for lang, texts := range outageTexts {
		for k, v := range texts {
			catalogue[lang][k] = v
		}
	}
}
