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
	msgLanguageSwitched     msgKey = "language_switched"
	msgSerialHint           msgKey = "serial_hint"
	msgConnectionTrouble    msgKey = "connection_trouble"
	msgStillTrouble         msgKey = "still_trouble"
	msgDropExpected         msgKey = "drop_expected"
	msgWaitingUntil         msgKey = "waiting_until"
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
	msgFailNotYours         msgKey = "fail_not_yours"
	msgFailUnverified       msgKey = "fail_unverified"
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
		msgNotUnderstood:        "Sorry, I didn't understand that.",
		msgLanguageSwitched:     "Sure, let's go on in English.",
		msgConnectionTrouble:    "I'm sorry about the connection trouble. Updating and restarting your router often fixes it: I can do that now, or put you through to an agent.",
		msgStillTrouble:         "I'm sorry it's still not right after the update. An agent can look into it with you.",
		msgWaitingUntil:         "You're in line for an agent. Our agents are offline now and back %s; I'll tell you here as soon as one takes your conversation.",
		msgDropExpected:         "That's expected during the update: your router restarts, and the connection comes back within a few minutes. I'll tell you here when it's done.",
		msgSerialHint:           "The serial number is on the label under or behind the router, usually after \"S/N\". Type it here, or say \"agent\" to talk to a person.",
		msgOfferAgent:           "I'm having trouble understanding. Would you like to talk to an agent?",
		msgThanks:               "You're welcome! Anything else I can do for you?",
		msgGoodbye:              "All right! I'm here if you need anything else.",
		msgLeftLine:             "OK, I've taken you out of the line. Ask for an agent whenever you want.",
		msgBusyOpenAnyway:       "All our agents are busy right now. I'm leaving your conversation for them: the first one free will answer you here.",
		msgHelp:                 "I can update your router's software and restart it, tell you how an update is going (just ask \"how is my update going?\"), or put you through to an agent.",
		msgHandoff:              "I'm passing you to an agent. They will reply here as soon as they can.",
		msgBackWithBot:          "You're back with the virtual assistant.",
		msgNothingToCancel:      "There is nothing to cancel.",
		msgCancelled:            "OK, cancelled.",
		btnUpdateRouter:         "Update my router",
		btnAgent:                "Talk to an agent",
		btnYes:                  "Yes",
		btnNo:                   "No",
		btnKeepChatting:         "Keep chatting",
		msgUpdateDeclined:       "OK, I'll leave your router as it is.",
		msgUpdateAlreadyRunning: "Your router update is already under way. %s I'll tell you each step here.",
		msgAskSerial:            "Which router should I update? Please type the serial number printed on the label under your router.",
		msgBadSerial:            "That doesn't look like a serial number. Please copy it exactly as it appears on the label under or on the back of your router.",
		msgConfirmUpdate:        "I'll update the software of router %s and restart it. Shall I go ahead?",
		msgUpdateStarted:        "OK, I've asked for the update. It takes a few minutes, and your internet will drop while the router restarts: if your phone uses this Wi-Fi, my messages will reach you once it's back. I'll tell you each step here, and meanwhile you can keep chatting with me.",
		msgNoMoreRetries:        "I can't try again from here, but an agent can help.",
		msgUpdateAt:             "Your router update is in progress. %s",
		msgUpdateInProgress:     "Your router update is in progress. I'll tell you each step here.",
		msgUpdateRunningNoStep:  "Your router update is already under way. I'll tell you each step here.",
		msgLastUpdateOK:         "Your last router update finished successfully.",
		msgLastUpdateFailed:     "Your last router update failed.",
		msgNoUpdate:             "There is no router update running.",
		msgCannotStop:           "An update that has started can't be stopped safely: it will finish on its own in a few minutes. I'll tell you when it's done.",
		msgTelcoSlow:            "Our update service is slow to answer. I'm still trying and will tell you what happens.",
		msgUpdateDone:           "Your router is updated and back online. All done!",
		msgWhatNow:              "What would you like to do?",
		msgStepQueued:           "Your update is queued and will start shortly.",
		msgStepDownloading:      "Downloading the new software to your router…",
		msgStepInstalling:       "Installing the new software…",
		msgStepRebooting:        "Restarting your router. Your connection will drop for a couple of minutes.",
		msgStepBackOnline:       "Your router is back online. Checking that everything works…",
		msgFailUnknownRouter:    "I couldn't find router %s in our systems, so nothing was changed.",
		msgFailTimeout:          "It did not finish in time.",
		msgFailUnavailable:      "Our update service isn't answering right now, so nothing was changed on your router.",
		msgFailRejected:         "I can't update this router from here, so nothing was changed.",
		msgFailNotYours:         "That router isn't registered to your account, so I can't update it.",
		msgFailUnverified:       "I can't confirm from here that this router is yours, so I can't update it.",
		msgFailDetail:           "The update failed: %s.",
		msgFailGeneric:          "The update failed.",
		btnYesUpdate:            "Yes, update it",
		btnRetry:                "Try again",
		btnCancel:               "Cancel",
		msgHandoffFailed:        "Sorry, I couldn't reach an agent just now. Please try again in a few minutes; meanwhile I can still help.",
		msgAlreadyWaiting:       "You're already in line for an agent. I'll tell you here as soon as one can take your conversation.",
		msgClosedOpenAnyway:     "Our agents are offline right now; they'll be back %s. I'm leaving your conversation for them so they see it first thing.",
		msgNobodyOnline:         "All our agents are busy right now. The next one should be free %s. Would you like to wait, or keep chatting with me?",
		msgClosed:               "Our agents are offline right now. They'll be back %s. Would you like to wait for them, or keep chatting with me?",
		msgWaiting:              "You're in line. I'll pass you to an agent as soon as one is available and tell you here. Meanwhile you can keep chatting with me.",
		msgAgentAvailable:       "An agent is now available and will take over your conversation here.",
		msgSoon:                 "soon",
		msgTodayAt:              "today at %s",
		msgTomorrowAt:           "tomorrow at %s",
		msgDayAt:                "%s at %s",
		btnWait:                 "Wait for an agent",
		btnSkip:                 "Skip",
		msgSlowDown:             "You're sending messages faster than I can answer, so I won't answer some of them. Please wait a minute, then send your request again in one message.",
		msgTooManyUpdates:       "Your router has already been through several update attempts in the last hour. To protect it, you can try again %s. If it still doesn't work, I can put you through to an agent.",
	},
	"es": {
		msgGreeting:             "¡Hola%s! Soy el asistente virtual. Puedo actualizar y reiniciar tu router, o pasarte con un agente.",
		msgMenuPrompt:           "¿Qué quieres hacer?",
		msgNotUnderstood:        "Perdón, no te entendí.",
		msgLanguageSwitched:     "¡Claro! Sigamos en español.",
		msgConnectionTrouble:    "Lamento los problemas con la conexión. Actualizar y reiniciar el router suele resolverlo: puedo hacerlo ahora, o pasarte con un agente.",
		msgStillTrouble:         "Lamento que siga fallando después de la actualización. Un agente puede revisarlo contigo.",
		msgWaitingUntil:         "Estás en cola para hablar con un agente. Ahora no hay agentes conectados; vuelven %s. Te aviso aquí en cuanto uno te atienda.",
		msgDropExpected:         "Es normal durante la actualización: el router se reinicia y la conexión vuelve en unos minutos. Te aviso aquí cuando termine.",
		msgSerialHint:           "El número de serie está en la etiqueta debajo o detrás del router, casi siempre después de \"S/N\". Escríbelo aquí, o escribe \"agente\" para hablar con una persona.",
		msgOfferAgent:           "Me está costando entenderte. ¿Quieres hablar con un agente?",
		msgThanks:               "¡De nada! ¿Algo más en lo que pueda ayudarte?",
		msgGoodbye:              "¡De acuerdo! Aquí estoy si necesitas algo más.",
		msgLeftLine:             "Listo, te saqué de la cola. Pide un agente cuando quieras.",
		msgBusyOpenAnyway:       "Todos nuestros agentes están ocupados ahora. Dejo tu conversación en manos del equipo: el primero que quede libre te responderá aquí.",
		msgHelp:                 "Puedo actualizar el software de tu router y reiniciarlo, decirte cómo va una actualización (pregúntame \"¿cómo va mi actualización?\") o pasarte con un agente.",
		msgHandoff:              "Te paso con un agente. Te responderá aquí lo antes posible.",
		msgBackWithBot:          "Estás de nuevo con el asistente virtual.",
		msgNothingToCancel:      "No hay nada que cancelar.",
		msgCancelled:            "Listo, cancelado.",
		btnUpdateRouter:         "Actualizar mi router",
		btnAgent:                "Hablar con un agente",
		btnYes:                  "Sí",
		btnNo:                   "No",
		btnKeepChatting:         "Seguir con el bot",
		msgUpdateDeclined:       "Entendido, dejo tu router como está.",
		msgUpdateAlreadyRunning: "La actualización de tu router ya está en marcha. %s Te aviso aquí de cada paso.",
		msgAskSerial:            "¿Qué router actualizo? Escribe el número de serie que aparece en la etiqueta debajo del router.",
		msgBadSerial:            "Eso no parece un número de serie. Cópialo tal como aparece en la etiqueta debajo o detrás del router.",
		msgConfirmUpdate:        "Voy a actualizar el software del router %s y reiniciarlo. ¿Continúo?",
		msgUpdateStarted:        "De acuerdo, ya pedí la actualización. Tarda unos minutos y tu internet se cortará mientras el router se reinicia: si tu teléfono usa este Wi-Fi, mis mensajes te llegarán cuando vuelva. Te aviso aquí de cada paso; mientras tanto puedes seguir hablando conmigo.",
		msgNoMoreRetries:        "No puedo intentarlo de nuevo desde aquí, pero un agente puede ayudarte.",
		msgUpdateAt:             "La actualización de tu router está en curso. %s",
		msgUpdateInProgress:     "La actualización de tu router está en curso. Te aviso aquí de cada paso.",
		msgUpdateRunningNoStep:  "La actualización de tu router ya está en marcha. Te aviso aquí de cada paso.",
		msgLastUpdateOK:         "La última actualización de tu router terminó bien.",
		msgLastUpdateFailed:     "La última actualización de tu router falló.",
		msgNoUpdate:             "No hay ninguna actualización del router en curso.",
		msgCannotStop:           "Una actualización ya iniciada no se puede detener de forma segura: terminará sola en unos minutos. Te aviso cuando acabe.",
		msgTelcoSlow:            "Nuestro servicio de actualización tarda en responder. Sigo intentándolo y te cuento qué pasa.",
		msgUpdateDone:           "Tu router está actualizado y de nuevo en línea. ¡Todo listo!",
		msgWhatNow:              "¿Qué quieres hacer?",
		msgStepQueued:           "Tu actualización está en cola y empezará en breve.",
		msgStepDownloading:      "Descargando el nuevo software en tu router…",
		msgStepInstalling:       "Instalando el nuevo software…",
		msgStepRebooting:        "Reiniciando tu router. La conexión se cortará un par de minutos.",
		msgStepBackOnline:       "Tu router está de nuevo en línea. Comprobando que todo funciona…",
		msgFailUnknownRouter:    "No encontré el router %s en nuestros sistemas, así que no se cambió nada.",
		msgFailTimeout:          "No terminó a tiempo.",
		msgFailUnavailable:      "Nuestro servicio de actualización no responde en este momento, así que no se cambió nada en tu router.",
		msgFailRejected:         "No puedo actualizar este router desde aquí, así que no se cambió nada.",
		msgFailNotYours:         "Ese router no está registrado en tu cuenta, así que no puedo actualizarlo.",
		msgFailUnverified:       "No puedo confirmar desde aquí que este router sea tuyo, así que no puedo actualizarlo.",
		msgFailDetail:           "La actualización falló: %s.",
		msgFailGeneric:          "La actualización falló.",
		btnYesUpdate:            "Sí, actualízalo",
		btnRetry:                "Intentar de nuevo",
		btnCancel:               "Cancelar",
		msgHandoffFailed:        "Perdón, no pude contactar a un agente ahora. Inténtalo de nuevo en unos minutos; mientras tanto puedo seguir ayudándote.",
		msgAlreadyWaiting:       "Ya estás en cola para hablar con un agente. Te aviso aquí en cuanto uno pueda atenderte.",
		msgClosedOpenAnyway:     "Nuestros agentes no están disponibles ahora; vuelven %s. Dejo tu conversación para que la vean apenas lleguen.",
		msgNobodyOnline:         "Todos nuestros agentes están ocupados ahora. El próximo debería quedar libre %s. ¿Prefieres esperar o seguir hablando conmigo?",
		msgClosed:               "Nuestros agentes no están disponibles ahora. Vuelven %s. ¿Prefieres esperarlos o seguir hablando conmigo?",
		msgWaiting:              "Estás en cola. Te paso con un agente en cuanto haya uno disponible y te aviso aquí. Mientras tanto puedes seguir hablando conmigo.",
		msgAgentAvailable:       "Ya hay un agente disponible y seguirá tu conversación aquí.",
		msgSoon:                 "pronto",
		msgTodayAt:              "hoy a las %s",
		msgTomorrowAt:           "mañana a las %s",
		msgDayAt:                "%s a las %s",
		btnWait:                 "Esperar a un agente",
		btnSkip:                 "Omitir",
		msgSlowDown:             "Me envías mensajes más rápido de lo que puedo responder, así que no contestaré algunos. Espera un minuto y escríbeme tu consulta en un solo mensaje.",
		msgTooManyUpdates:       "Tu router ya tuvo varios intentos de actualización en la última hora. Para protegerlo, podrás intentarlo de nuevo %s. Si sigue sin funcionar, puedo pasarte con un agente.",
	},
	"pt": {
		msgGreeting:             "Olá%s! Sou o assistente virtual. Posso atualizar e reiniciar o seu roteador, ou te transferir para um atendente.",
		msgMenuPrompt:           "O que você gostaria de fazer?",
		msgNotUnderstood:        "Desculpe, não entendi.",
		msgLanguageSwitched:     "Claro! Vamos continuar em português.",
		msgConnectionTrouble:    "Sinto muito pelos problemas na conexão. Atualizar e reiniciar o roteador costuma resolver: posso fazer isso agora, ou te transferir para um atendente.",
		msgStillTrouble:         "Sinto muito que continue com problema depois da atualização. Um atendente pode verificar com você.",
		msgWaitingUntil:         "Você está na fila para falar com um atendente. Os atendentes estão offline agora e voltam %s. Eu aviso aqui assim que um atender você.",
		msgDropExpected:         "É normal durante a atualização: o roteador reinicia e a conexão volta em alguns minutos. Eu aviso aqui quando terminar.",
		msgSerialHint:           "O número de série fica na etiqueta embaixo ou atrás do roteador, quase sempre depois de \"S/N\". Digite aqui, ou escreva \"atendente\" para falar com uma pessoa.",
		msgOfferAgent:           "Estou com dificuldade para entender. Quer falar com um atendente?",
		msgThanks:               "De nada! Posso ajudar em mais alguma coisa?",
		msgGoodbye:              "Combinado! Estou aqui se precisar de mais alguma coisa.",
		msgLeftLine:             "Certo, tirei você da fila. Peça um atendente quando quiser.",
		msgBusyOpenAnyway:       "Todos os nossos atendentes estão ocupados agora. Vou deixar sua conversa com eles: o primeiro que ficar livre vai responder você aqui.",
		msgHelp:                 "Posso atualizar o software do seu roteador e reiniciá-lo, dizer como vai uma atualização (é só perguntar \"como está minha atualização?\") ou te transferir para um atendente.",
		msgHandoff:              "Vou te transferir para um atendente. Ele vai te responder aqui assim que possível.",
		msgBackWithBot:          "Você voltou a falar com o assistente virtual.",
		msgNothingToCancel:      "Não há nada para cancelar.",
		msgCancelled:            "Certo, cancelado.",
		btnUpdateRouter:         "Atualizar roteador",
		btnAgent:                "Falar com atendente",
		btnYes:                  "Sim",
		btnNo:                   "Não",
		btnKeepChatting:         "Continuar com o bot",
		msgUpdateDeclined:       "Certo, vou deixar seu roteador como está.",
		msgUpdateAlreadyRunning: "A atualização do seu roteador já está em andamento. %s Vou avisando aqui a cada etapa.",
		msgAskSerial:            "Qual roteador devo atualizar? Digite o número de série que está na etiqueta embaixo do roteador.",
		msgBadSerial:            "Isso não parece um número de série. Copie exatamente como aparece na etiqueta embaixo ou atrás do roteador.",
		msgConfirmUpdate:        "Vou atualizar o software do roteador %s e reiniciá-lo. Posso continuar?",
		msgUpdateStarted:        "Certo, já pedi a atualização. Leva alguns minutos e a sua internet vai cair enquanto o roteador reinicia: se o seu celular usa este Wi-Fi, minhas mensagens chegam quando ela voltar. Vou avisando aqui a cada etapa; enquanto isso, pode continuar conversando comigo.",
		msgNoMoreRetries:        "Não consigo tentar de novo daqui, mas um atendente pode ajudar.",
		msgUpdateAt:             "A atualização do seu roteador está em andamento. %s",
		msgUpdateInProgress:     "A atualização do seu roteador está em andamento. Vou avisando aqui a cada etapa.",
		msgUpdateRunningNoStep:  "A atualização do seu roteador já está em andamento. Vou avisando aqui a cada etapa.",
		msgLastUpdateOK:         "A sua última atualização do roteador terminou com sucesso.",
		msgLastUpdateFailed:     "A última atualização do seu roteador falhou.",
		msgNoUpdate:             "Não há nenhuma atualização do roteador em andamento.",
		msgCannotStop:           "Uma atualização já iniciada não pode ser interrompida com segurança: ela termina sozinha em alguns minutos. Aviso você quando acabar.",
		msgTelcoSlow:            "Nosso serviço de atualização está demorando para responder. Continuo tentando e aviso o que acontecer.",
		msgUpdateDone:           "Seu roteador está atualizado e online de novo. Tudo pronto!",
		msgWhatNow:              "O que você gostaria de fazer?",
		msgStepQueued:           "Sua atualização está na fila e começa em breve.",
		msgStepDownloading:      "Baixando o novo software no seu roteador…",
		msgStepInstalling:       "Instalando o novo software…",
		msgStepRebooting:        "Reiniciando o seu roteador. A conexão vai cair por alguns minutos.",
		msgStepBackOnline:       "Seu roteador está online de novo. Verificando se tudo funciona…",
		msgFailUnknownRouter:    "Não encontrei o roteador %s nos nossos sistemas, então nada foi alterado.",
		msgFailTimeout:          "Não terminou a tempo.",
		msgFailUnavailable:      "Nosso serviço de atualização não está respondendo agora, então nada foi alterado no seu roteador.",
		msgFailRejected:         "Não consigo atualizar este roteador daqui, então nada foi alterado.",
		msgFailNotYours:         "Esse roteador não está registrado na sua conta, então não posso atualizá-lo.",
		msgFailUnverified:       "Não consigo confirmar daqui que este roteador é seu, então não posso atualizá-lo.",
		msgFailDetail:           "A atualização falhou: %s.",
		msgFailGeneric:          "A atualização falhou.",
		btnYesUpdate:            "Sim, atualize",
		btnRetry:                "Tentar de novo",
		btnCancel:               "Cancelar",
		msgHandoffFailed:        "Desculpe, não consegui falar com um atendente agora. Tente de novo em alguns minutos; enquanto isso, ainda posso ajudar.",
		msgAlreadyWaiting:       "Você já está na fila para falar com um atendente. Aviso aqui assim que um puder atender você.",
		msgClosedOpenAnyway:     "Nossos atendentes não estão disponíveis agora; eles voltam %s. Vou deixar sua conversa com eles para verem logo que chegarem.",
		msgNobodyOnline:         "Todos os nossos atendentes estão ocupados agora. O próximo deve ficar livre %s. Prefere esperar ou continuar conversando comigo?",
		msgClosed:               "Nossos atendentes não estão disponíveis agora. Eles voltam %s. Prefere esperar por eles ou continuar conversando comigo?",
		msgWaiting:              "Você está na fila. Te transfiro para um atendente assim que um estiver disponível e aviso aqui. Enquanto isso, pode continuar conversando comigo.",
		msgAgentAvailable:       "Um atendente está disponível agora e vai continuar a sua conversa aqui.",
		msgSoon:                 "em breve",
		msgTodayAt:              "hoje às %s",
		msgTomorrowAt:           "amanhã às %s",
		msgDayAt:                "%s às %s",
		btnWait:                 "Esperar atendente",
		btnSkip:                 "Pular",
		msgSlowDown:             "Você está enviando mensagens mais rápido do que consigo responder, então vou deixar algumas sem resposta. Espere um minuto e mande seu pedido em uma só mensagem.",
		msgTooManyUpdates:       "Seu roteador já passou por várias tentativas de atualização na última hora. Para protegê-lo, você poderá tentar de novo %s. Se continuar sem funcionar, posso te transferir para um atendente.",
	},
}

// t is the bot's text of key in lang.
func (b *Bot) t(lang string, key msgKey) string { return t(lang, key) }

// T returns the text of key in lang, falling back to English.
func t(lang string, key msgKey) string {
	if m, ok := catalogue[lang]; ok {
		if s, ok := m[key]; ok {
			return s
		}
	}
	return catalogue[defaultLanguage][key]
}
