package bot

// Texts of the dialogue's newer answers: goodbyes, anger, area outages, a router that is
// not the contact's. They join the catalogue at start.
const (
	msgBye             msgKey = "bye"
	msgSorryFrustrated msgKey = "sorry_frustrated"
	msgAreaOutage      msgKey = "area_outage"
	msgOnlyYourRouter  msgKey = "only_your_router"
	msgTriedEnough     msgKey = "tried_enough"
	msgTakeYourTime    msgKey = "take_your_time"
)

var dialogueTexts = map[string]map[msgKey]string{
	"en": {
		msgBye:             "Goodbye! Write to me here whenever you need anything.",
		msgSorryFrustrated: "I'm sorry this has been so frustrating. Would you like me to put you through to an agent?",
		msgAreaOutage:      "If the whole area is without service, restarting your router won't help: it's probably a network outage. An agent can check it for you.",
		msgOnlyYourRouter:  "I can only update the router registered to your account (%s). If that isn't your router any more, an agent can change it for you.",
		msgTriedEnough:     "I'm sorry about the connection trouble. I've already tried updating your router several times without success, so an agent needs to look at it.",
		msgTakeYourTime:    "Sure, take your time.",
	},
	"es": {
		msgBye:             "¡Hasta luego! Escríbeme aquí cuando necesites algo.",
		msgSorryFrustrated: "Lamento mucho las molestias. ¿Quieres que te pase con un agente?",
		msgAreaOutage:      "Si toda la zona está sin servicio, reiniciar tu router no lo va a resolver: probablemente sea una falla de la red. Un agente puede revisarlo.",
		msgOnlyYourRouter:  "Solo puedo actualizar el router registrado en tu cuenta (%s). Si ya no es tu router, un agente puede cambiarlo.",
		msgTriedEnough:     "Lamento los problemas con la conexión. Ya intenté actualizar tu router varias veces sin éxito, así que tiene que revisarlo un agente.",
		msgTakeYourTime:    "Claro, tómate tu tiempo.",
	},
	"pt": {
		msgBye:             "Até mais! Me chame aqui quando precisar.",
		msgSorryFrustrated: "Sinto muito pelo transtorno. Quer que eu te transfira para um atendente?",
		msgAreaOutage:      "Se a região toda está sem serviço, reiniciar o seu roteador não vai resolver: provavelmente é uma falha na rede. Um atendente pode verificar para você.",
		msgOnlyYourRouter:  "Só posso atualizar o roteador cadastrado na sua conta (%s). Se esse não é mais o seu roteador, um atendente pode alterar para você.",
		msgTriedEnough:     "Sinto muito pelos problemas na conexão. Já tentei atualizar o seu roteador várias vezes sem sucesso, então um atendente precisa verificar.",
		msgTakeYourTime:    "Claro, fico no aguardo.",
	},
}

func init() {
	for lang, texts := range dialogueTexts {
		for k, v := range texts {
			catalogue[lang][k] = v
		}
	}
}
