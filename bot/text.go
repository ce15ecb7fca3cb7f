package bot

// The bot speaks English, Spanish and Portuguese. Every button title must fit WhatsApp's
// 20 characters in every language; a test checks the whole catalogue.

const defaultLanguage = "en"

var languages = []string{"en", "es", "pt"}

type msgKey string

const (
	msgGreeting             msgKey = "greeting"
	msgMenuPrompt           msgKey = "menu_prompt"
	msgNotUnderstood        msgKey = "not_understood"
	msgOfferAgent           msgKey = "offer_agent"
	msgThanks               msgKey = "thanks"
	msgHelp                 msgKey = "help"
	msgHandoff              msgKey = "handoff"
	msgBackWithBot          msgKey = "back_with_bot"
	msgNothingToCancel      msgKey = "nothing_to_cancel"
	msgCancelled            msgKey = "cancelled"
	msgHandoffFailed        msgKey = "handoff_failed"
	msgSlowDown             msgKey = "slow_down"
	msgTooManyUpdates       msgKey = "too_many_updates"
	msgAlreadyWaiting       msgKey = "already_waiting"
	msgClosedOpenAnyway     msgKey = "closed_open_anyway"
	msgNobodyOnline         msgKey = "nobody_online"
	msgClosed               msgKey = "closed"
	msgWaiting              msgKey = "waiting"
	msgAgentAvailable       msgKey = "agent_available"
	msgSoon                 msgKey = "soon"
	msgTodayAt              msgKey = "today_at"
	msgTomorrowAt           msgKey = "tomorrow_at"
	msgDayAt                msgKey = "day_at"
	btnWait                 msgKey = "btn_wait"
	btnSkip                 msgKey = "btn_skip"
	msgUpdateDeclined       msgKey = "update_declined"
	msgUpdateAlreadyRunning msgKey = "update_already_running"
	msgAskSerial            msgKey = "ask_serial"
	msgBadSerial            msgKey = "bad_serial"
	msgConfirmUpdate        msgKey = "confirm_update"
	msgUpdateStarted        msgKey = "update_started"
	msgNoMoreRetries        msgKey = "no_more_retries"
	msgUpdateAt             msgKey = "update_at"
	msgGoodbye              msgKey = "goodbye"
	msgLeftLine             msgKey = "left_line"
	msgBusyOpenAnyway       msgKey = "busy_open_anyway"
	msgUpdateInProgress     msgKey = "update_in_progress"
	msgUpdateRunningNoStep  msgKey = "update_running_no_step"
	msgLastUpdateOK         msgKey = "last_update_ok"
	msgLastUpdateFailed     msgKey = "last_update_failed"
	msgNoUpdate             msgKey = "no_update"
	msgCannotStop           msgKey = "cannot_stop"
	msgTelcoSlow            msgKey = "telco_slow"
	msgUpdateDone           msgKey = "update_done"
	msgWhatNow              msgKey = "what_now"
	msgStepQueued           msgKey = "step_queued"
	msgStepDownloading      msgKey = "step_downloading"
	msgStepInstalling       msgKey = "step_installing"
	msgStepRebooting        msgKey = "step_rebooting"
	msgStepBackOnline       msgKey = "step_back_online"
	msgFailUnknownRouter    msgKey = "fail_unknown_router"
	msgFailTimeout          msgKey = "fail_timeout"
	msgFailUnavailable      msgKey = "fail_unavailable"
	msgFailRejected         msgKey = "fail_rejected"
	msgFailDetail           msgKey = "fail_detail"
	msgFailGeneric          msgKey = "fail_generic"

	btnYesUpdate msgKey = "btn_yes_update"
	btnRetry     msgKey = "btn_retry"
	btnCancel    msgKey = "btn_cancel"

	btnUpdateRouter msgKey = "btn_update_router"
	btnAgent        msgKey = "btn_agent"
	btnYes          msgKey = "btn_yes"
	btnNo           msgKey = "btn_no"
	btnKeepChatting msgKey = "btn_keep_chatting"
)

var catalogue = map[string]map[msgKey]string{
	"en": {
		msgGreeting:             "Hi%s! I'm the virtual assistant. I can update and restart your router, or put you through to an agent.",
		msgMenuPrompt:           "What would you like to do?",
		msgNotUnderstood:        "Sorry, I didn't understand that. Here is what I can do:",
		msgOfferAgent:           "I'm having trouble understanding. Would you like to talk to an agent?",
		msgThanks:               "You're welcome! Anything else I can do for you?",
		msgGoodbye:              "Great! Have a nice day. Write here any time you need me.",
		msgLeftLine:             "OK, you're out of the line: no agent will take this conversation. Ask for an agent any time to get back in.",
		msgBusyOpenAnyway:       "All our agents are busy right now. I'm leaving your conversation for them: the first one free will answer you here.",
		msgHelp:                 "I can update your router's software and restart it, tell you how an update is going, or put you through to an agent.",
		msgHandoff:              "I'm passing you to an agent. They will reply here as soon as they can.",
		msgBackWithBot:          "You're back with the virtual assistant.",
		msgNothingToCancel:      "There is nothing to cancel.",
		msgCancelled:            "OK, cancelled.",
		btnUpdateRouter:         "Update my router",
		btnAgent:                "Talk to an agent",
		btnYes:                  "Yes",
		btnNo:                   "No",
		btnKeepChatting:         "Keep chatting",
		msgUpdateDeclined:       "OK, I won't touch your router.",
		msgUpdateAlreadyRunning: "Your router update is already under way (%s). I'll tell you each step here.",
		msgAskSerial:            "Which router should I update? Please type the serial number printed on the label under your router.",
		msgBadSerial:            "That doesn't look like a serial number. Please copy it from the label under your router (letters and digits, no spaces).",
		msgConfirmUpdate:        "I'll update the software of router %s and restart it. Shall I go ahead?",
		msgUpdateStarted:        "Done, the update has started. It takes a few minutes, and your internet connection will drop while the router restarts. I'll tell you each step here; meanwhile you can keep chatting with me.",
		msgNoMoreRetries:        "I've already tried as many times as I can.",
		msgUpdateAt:             "Your router update is in progress: %s",
		msgUpdateInProgress:     "Your router update is in progress. I'll tell you each step here.",
		msgUpdateRunningNoStep:  "Your router update is already under way. I'll tell you each step here.",
		msgLastUpdateOK:         "Your last router update finished successfully.",
		msgLastUpdateFailed:     "Your last router update failed.",
		msgNoUpdate:             "There is no router update running.",
		msgCannotStop:           "An update that has started can't be stopped safely: it will finish on its own in a few minutes. I'll tell you when it's done.",
		msgTelcoSlow:            "Our update service is slow to answer. I keep trying and will tell you what happens.",
		msgUpdateDone:           "Your router is updated and back online. All done!",
		msgWhatNow:              "What would you like to do?",
		msgStepQueued:           "Your update is queued and will start shortly.",
		msgStepDownloading:      "Downloading the new software to your router…",
		msgStepInstalling:       "Installing the new software…",
		msgStepRebooting:        "Restarting your router. Your connection will drop for a couple of minutes.",
		msgStepBackOnline:       "Your router is back online. Checking that everything works…",
		msgFailUnknownRouter:    "I couldn't find router %s in our systems.",
		msgFailTimeout:          "The update did not finish in time.",
		msgFailUnavailable:      "Our update service isn't answering right now.",
		msgFailRejected:         "Our update service refused the request.",
		msgFailDetail:           "The update failed: %s.",
		msgFailGeneric:          "The update failed.",
		btnYesUpdate:            "Yes, update it",
		btnRetry:                "Retry",
		btnCancel:               "Cancel",
		msgHandoffFailed:        "Sorry, I couldn't pass you to an agent right now. You're still with me, the virtual assistant.",
		msgAlreadyWaiting:       "You're already in line for an agent. I'll tell you here as soon as one can take your conversation.",
		msgClosedOpenAnyway:     "Our agents are not working right now; they are back %s. I'm leaving your conversation for them so they see it first thing.",
		msgNobodyOnline:         "All our agents are busy right now. The next one should be free %s. Would you like to wait, or keep chatting with me?",
		msgClosed:               "Our agents are not working right now. They are back %s. Would you like to wait for them, or keep chatting with me?",
		msgWaiting:              "You're in line. I'll pass you to an agent as soon as one is available and tell you here. Meanwhile you can keep chatting with me.",
		msgAgentAvailable:       "An agent is now available and will take over your conversation here.",
		msgSoon:                 "soon",
		msgTodayAt:              "today at %s",
		msgTomorrowAt:           "tomorrow at %s",
		msgDayAt:                "%s at %s",
		btnWait:                 "Wait for an agent",
		btnSkip:                 "Skip",
		msgSlowDown:             "You're sending messages faster than I can answer. I'll read everything; give me a moment before writing again.",
		msgTooManyUpdates:       "Your router has been updated several times in the last hour. To protect it, the next update is possible %s. If it still doesn't work, I can put you through to an agent.",
	},
	"es": {
		msgGreeting:             "¡Hola%s! Soy el asistente virtual. Puedo actualizar y reiniciar tu router, o pasarte con un agente.",
		msgMenuPrompt:           "¿Qué quieres hacer?",
		msgNotUnderstood:        "Perdón, no entendí. Esto es lo que puedo hacer:",
		msgOfferAgent:           "Me está costando entenderte. ¿Quieres hablar con un agente?",
		msgThanks:               "¡De nada! ¿Algo más en lo que pueda ayudarte?",
		msgGoodbye:              "¡Perfecto! Que tengas un buen día. Escríbeme aquí cuando me necesites.",
		msgLeftLine:             "Listo, saliste de la fila: ningún agente tomará esta conversación. Pide un agente cuando quieras para volver.",
		msgBusyOpenAnyway:       "Todos nuestros agentes están ocupados ahora. Dejo tu conversación para ellos: el primero que quede libre te responderá aquí.",
		msgHelp:                 "Puedo actualizar el software de tu router y reiniciarlo, decirte cómo va una actualización o pasarte con un agente.",
		msgHandoff:              "Te paso con un agente. Te responderá aquí lo antes posible.",
		msgBackWithBot:          "Estás de nuevo con el asistente virtual.",
		msgNothingToCancel:      "No hay nada que cancelar.",
		msgCancelled:            "Listo, cancelado.",
		btnUpdateRouter:         "Actualizar mi router",
		btnAgent:                "Hablar con un agente",
		btnYes:                  "Sí",
		btnNo:                   "No",
		btnKeepChatting:         "Seguir con el bot",
		msgUpdateDeclined:       "Entendido, no toco tu router.",
		msgUpdateAlreadyRunning: "La actualización de tu router ya está en marcha (%s). Te aviso aquí de cada paso.",
		msgAskSerial:            "¿Qué router actualizo? Escribe el número de serie que aparece en la etiqueta debajo del router.",
		msgBadSerial:            "Eso no parece un número de serie. Cópialo de la etiqueta debajo del router (letras y números, sin espacios).",
		msgConfirmUpdate:        "Voy a actualizar el software del router %s y reiniciarlo. ¿Continúo?",
		msgUpdateStarted:        "Listo, la actualización empezó. Tarda unos minutos y tu conexión a internet se cortará mientras el router se reinicia. Te aviso aquí de cada paso; mientras tanto puedes seguir hablando conmigo.",
		msgNoMoreRetries:        "Ya lo intenté todas las veces que puedo.",
		msgUpdateAt:             "La actualización de tu router está en curso: %s",
		msgUpdateInProgress:     "La actualización de tu router está en curso. Te aviso aquí de cada paso.",
		msgUpdateRunningNoStep:  "La actualización de tu router ya está en marcha. Te aviso aquí de cada paso.",
		msgLastUpdateOK:         "Tu última actualización del router terminó bien.",
		msgLastUpdateFailed:     "Tu última actualización del router falló.",
		msgNoUpdate:             "No hay ninguna actualización del router en curso.",
		msgCannotStop:           "Una actualización ya iniciada no se puede detener de forma segura: terminará sola en unos minutos. Te aviso cuando acabe.",
		msgTelcoSlow:            "Nuestro servicio de actualización tarda en responder. Sigo intentándolo y te cuento qué pasa.",
		msgUpdateDone:           "Tu router está actualizado y de nuevo en línea. ¡Todo listo!",
		msgWhatNow:              "¿Qué quieres hacer?",
		msgStepQueued:           "Tu actualización está en cola y empezará en breve.",
		msgStepDownloading:      "Descargando el nuevo software en tu router…",
		msgStepInstalling:       "Instalando el nuevo software…",
		msgStepRebooting:        "Reiniciando tu router. La conexión se cortará un par de minutos.",
		msgStepBackOnline:       "Tu router está de nuevo en línea. Compruebo que todo funcione…",
		msgFailUnknownRouter:    "No encontré el router %s en nuestros sistemas.",
		msgFailTimeout:          "La actualización no terminó a tiempo.",
		msgFailUnavailable:      "Nuestro servicio de actualización no responde en este momento.",
		msgFailRejected:         "Nuestro servicio de actualización rechazó la solicitud.",
		msgFailDetail:           "La actualización falló: %s.",
		msgFailGeneric:          "La actualización falló.",
		btnYesUpdate:            "Sí, actualízalo",
		btnRetry:                "Reintentar",
		btnCancel:               "Cancelar",
		msgHandoffFailed:        "Perdón, no pude pasarte con un agente ahora. Sigues conmigo, el asistente virtual.",
		msgAlreadyWaiting:       "Ya estás en la fila para hablar con un agente. Te aviso aquí en cuanto uno pueda atenderte.",
		msgClosedOpenAnyway:     "Nuestros agentes no están trabajando ahora; vuelven %s. Dejo tu conversación para que la vean apenas lleguen.",
		msgNobodyOnline:         "Todos nuestros agentes están ocupados ahora. El próximo debería quedar libre %s. ¿Prefieres esperar o seguir hablando conmigo?",
		msgClosed:               "Nuestros agentes no están trabajando ahora. Vuelven %s. ¿Prefieres esperarlos o seguir hablando conmigo?",
		msgWaiting:              "Estás en la fila. Te paso con un agente en cuanto haya uno disponible y te aviso aquí. Mientras tanto puedes seguir hablando conmigo.",
		msgAgentAvailable:       "Ya hay un agente disponible y seguirá tu conversación aquí.",
		msgSoon:                 "pronto",
		msgTodayAt:              "hoy a las %s",
		msgTomorrowAt:           "mañana a las %s",
		msgDayAt:                "%s a las %s",
		btnWait:                 "Esperar un agente",
		btnSkip:                 "Omitir",
		msgSlowDown:             "Estás enviando mensajes más rápido de lo que puedo responder. Los leo todos; dame un momento antes de escribir de nuevo.",
		msgTooManyUpdates:       "Tu router se actualizó varias veces en la última hora. Para protegerlo, la próxima actualización es posible %s. Si sigue sin funcionar, puedo pasarte con un agente.",
	},
	"pt": {
		msgGreeting:             "Olá%s! Sou o assistente virtual. Posso atualizar e reiniciar o seu roteador, ou passar você para um atendente.",
		msgMenuPrompt:           "O que você gostaria de fazer?",
		msgNotUnderstood:        "Desculpe, não entendi. Veja o que posso fazer:",
		msgOfferAgent:           "Estou com dificuldade para entender. Quer falar com um atendente?",
		msgThanks:               "Por nada! Posso ajudar em algo mais?",
		msgGoodbye:              "Ótimo! Tenha um bom dia. Escreva aqui sempre que precisar.",
		msgLeftLine:             "Pronto, você saiu da fila: nenhum atendente vai pegar esta conversa. Peça um atendente quando quiser voltar.",
		msgBusyOpenAnyway:       "Todos os nossos atendentes estão ocupados agora. Deixo sua conversa para eles: o primeiro que ficar livre vai te responder aqui.",
		msgHelp:                 "Posso atualizar o software do seu roteador e reiniciá-lo, dizer como vai uma atualização ou passar você para um atendente.",
		msgHandoff:              "Vou passar você para um atendente. Ele responderá aqui assim que puder.",
		msgBackWithBot:          "Você está de volta com o assistente virtual.",
		msgNothingToCancel:      "Não há nada para cancelar.",
		msgCancelled:            "Certo, cancelado.",
		btnUpdateRouter:         "Atualizar roteador",
		btnAgent:                "Falar com atendente",
		btnYes:                  "Sim",
		btnNo:                   "Não",
		btnKeepChatting:         "Continuar no chat",
		msgUpdateDeclined:       "Certo, não vou mexer no seu roteador.",
		msgUpdateAlreadyRunning: "A atualização do seu roteador já está em andamento (%s). Aviso aqui cada etapa.",
		msgAskSerial:            "Qual roteador devo atualizar? Digite o número de série que está na etiqueta embaixo do roteador.",
		msgBadSerial:            "Isso não parece um número de série. Copie da etiqueta embaixo do roteador (letras e números, sem espaços).",
		msgConfirmUpdate:        "Vou atualizar o software do roteador %s e reiniciá-lo. Posso continuar?",
		msgUpdateStarted:        "Pronto, a atualização começou. Leva alguns minutos e a sua internet vai cair enquanto o roteador reinicia. Aviso aqui cada etapa; enquanto isso, pode continuar conversando comigo.",
		msgNoMoreRetries:        "Já tentei todas as vezes que posso.",
		msgUpdateAt:             "A atualização do seu roteador está em andamento: %s",
		msgUpdateInProgress:     "A atualização do seu roteador está em andamento. Aviso aqui cada etapa.",
		msgUpdateRunningNoStep:  "A atualização do seu roteador já está em andamento. Aviso aqui cada etapa.",
		msgLastUpdateOK:         "A sua última atualização do roteador terminou com sucesso.",
		msgLastUpdateFailed:     "A sua última atualização do roteador falhou.",
		msgNoUpdate:             "Não há nenhuma atualização do roteador em andamento.",
		msgCannotStop:           "Uma atualização já iniciada não pode ser interrompida com segurança: ela termina sozinha em alguns minutos. Aviso quando acabar.",
		msgTelcoSlow:            "Nosso serviço de atualização está demorando para responder. Continuo tentando e aviso o que acontecer.",
		msgUpdateDone:           "Seu roteador está atualizado e online de novo. Tudo pronto!",
		msgWhatNow:              "O que você gostaria de fazer?",
		msgStepQueued:           "Sua atualização está na fila e começa em breve.",
		msgStepDownloading:      "Baixando o novo software no seu roteador…",
		msgStepInstalling:       "Instalando o novo software…",
		msgStepRebooting:        "Reiniciando o seu roteador. A conexão vai cair por alguns minutos.",
		msgStepBackOnline:       "Seu roteador está online de novo. Verificando se tudo funciona…",
		msgFailUnknownRouter:    "Não encontrei o roteador %s nos nossos sistemas.",
		msgFailTimeout:          "A atualização não terminou a tempo.",
		msgFailUnavailable:      "Nosso serviço de atualização não está respondendo agora.",
		msgFailRejected:         "Nosso serviço de atualização recusou o pedido.",
		msgFailDetail:           "A atualização falhou: %s.",
		msgFailGeneric:          "A atualização falhou.",
		btnYesUpdate:            "Sim, atualize",
		btnRetry:                "Tentar de novo",
		btnCancel:               "Cancelar",
		msgHandoffFailed:        "Desculpe, não consegui passar você para um atendente agora. Você continua comigo, o assistente virtual.",
		msgAlreadyWaiting:       "Você já está na fila para falar com um atendente. Aviso aqui assim que um puder atender você.",
		msgClosedOpenAnyway:     "Nossos atendentes não estão trabalhando agora; eles voltam %s. Deixo sua conversa para eles verem logo que chegarem.",
		msgNobodyOnline:         "Todos os nossos atendentes estão ocupados agora. O próximo deve ficar livre %s. Prefere esperar ou continuar conversando comigo?",
		msgClosed:               "Nossos atendentes não estão trabalhando agora. Eles voltam %s. Prefere esperar por eles ou continuar conversando comigo?",
		msgWaiting:              "Você está na fila. Passo você para um atendente assim que um estiver disponível e aviso aqui. Enquanto isso, pode continuar conversando comigo.",
		msgAgentAvailable:       "Um atendente está disponível agora e vai continuar a sua conversa aqui.",
		msgSoon:                 "em breve",
		msgTodayAt:              "hoje às %s",
		msgTomorrowAt:           "amanhã às %s",
		msgDayAt:                "%s às %s",
		btnWait:                 "Esperar atendente",
		btnSkip:                 "Pular",
		msgSlowDown:             "Você está enviando mensagens mais rápido do que consigo responder. Leio todas; me dê um momento antes de escrever de novo.",
		msgTooManyUpdates:       "Seu roteador foi atualizado várias vezes na última hora. Para protegê-lo, a próxima atualização é possível %s. Se continuar sem funcionar, posso passar você para um atendente.",
	},
}

// T returns the text of key in lang, falling back to English.
func t(lang string, key msgKey) string {
	if m, ok := catalogue[lang]; ok {
		if s, ok := m[key]; ok {
			return s
		}
	}
	return catalogue[defaultLanguage][key]
}
