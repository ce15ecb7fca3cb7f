package bot

// Texts of the dialogue's newer answers: goodbyes, anger, area outages, a router that is
// not the contact's. They join the catalogue at start.
const (
	msgBye             msgKey = "bye"
	msgSorryFrustrated msgKey = "sorry_frustrated"
	msgAreaOutage      msgKey = "area_outage"
	msgOnlyYourRouter  msgKey = "only_your_router"
)

var dialogueTexts = map[string]map[msgKey]string{
	"en": {
		msgBye:             "Goodbye! Write to me here whenever you need anything.",
		msgSorryFrustrated: "I'm sorry this has been so frustrating. Would you like me to put you through to an agent?",
		msgAreaOutage:      "If the whole area is without service, restarting your router won't help: it's probably a network outage. An agent can check it for you.",
		msgOnlyYourRouter:  "I can only update the router registered to your account (%s). If that isn't your router any more, an agent can change it for you.",
	},
	"es": {
		msgBye:             "¡Hasta luego! Escríbeme aquí cuando necesites algo.",
		msgSorryFrustrated: "Lamento mucho las molestias. ¿Quieres que te pase con un agente?",
		msgAreaOutage:      "Si toda la zona está sin servicio, reiniciar tu router no lo va a resolver: probablemente sea una falla de la red. Un agente puede revisarlo.",
		msgOnlyYourRouter:  "Solo puedo actualizar el router registrado en tu cuenta (%s). Si ya no es tu router, un agente puede cambiarlo.",
	},
	"pt": {
		msgBye:             "Até mais! Me chame aqui quando precisar.",
		msgSorryFrustrated: "Sinto muito pelo transtorno. Quer que eu te transfira para um atendente?",
		msgAreaOutage:      "Se a região toda está sem serviço, reiniciar o seu roteador não vai resolver: provavelmente é uma falha na rede. Um atendente pode verificar para você.",
		msgOnlyYourRouter:  "Só posso atualizar o roteador cadastrado na sua conta (%s). Se esse não é mais o seu roteador, um atendente pode alterar para você.",
	},
}

func init() {
	for lang, texts := range dialogueTexts {
		for k, v := range texts {
			catalogue[lang][k] = v
		}
	}
}
