package bot

// Texts of router updates and restarts: the start, an offline router, and failures told in
// plain words (what failed, and whether the internet should work now). They join the
// catalogue at init.

const (
	msgRestartStarted         msgKey = "restart_started"
	msgRestartDone            msgKey = "restart_done"
	msgRouterOffline          msgKey = "router_offline"
	msgStepQueuedRestart      msgKey = "step_queued_restart"
	msgUpdateWaitingRouter    msgKey = "update_waiting_router"
	msgUpdateQueuedNow        msgKey = "update_queued_now"
	msgRestartQueuedNow       msgKey = "restart_queued_now"
	msgRestartInProgress      msgKey = "restart_in_progress"
	msgRestartAt              msgKey = "restart_at"
	msgLastRestartOK          msgKey = "last_restart_ok"
	msgLastRestartFailed      msgKey = "last_restart_failed"
	msgRetryHint              msgKey = "retry_hint"
	msgAgentHint              msgKey = "agent_hint"
	msgFailRestart            msgKey = "fail_restart"
	msgFailRestartDetail      msgKey = "fail_restart_detail"
	msgFailRejectedRestart    msgKey = "fail_rejected_restart"
	msgFailUnsupported        msgKey = "fail_unsupported"
	msgFailUnsupportedRestart msgKey = "fail_unsupported_restart"
	msgFailOffline            msgKey = "fail_offline"
	msgFailUnavailableMidway  msgKey = "fail_unavailable_midway"
	msgFailTimeoutNoAnswer    msgKey = "fail_timeout_no_answer"
	msgFailTimeoutNotBack     msgKey = "fail_timeout_not_back"
	msgFailDownload           msgKey = "fail_download"
	msgFailInstall            msgKey = "fail_install"
	msgFailNotBack            msgKey = "fail_not_back"
	msgFailUnconfirmed        msgKey = "fail_unconfirmed"
	msgInternetAsBefore       msgKey = "internet_as_before"
	msgInternetSwitchOff      msgKey = "internet_switch_off"
	msgInternetLeaveOn        msgKey = "internet_leave_on"
	msgInternetShouldWork     msgKey = "internet_should_work"
	msgCheckSerial            msgKey = "check_serial"
	// For confirmMenu, once the bot knows the operation is a restart before the job runs
	// (a Bot setting from GENIEACS_FIRMWARE_FILE being empty): not used yet.
	msgConfirmRestart msgKey = "confirm_restart"
	btnYesRestart     msgKey = "btn_yes_restart"
)

var updateTexts = map[string]map[msgKey]string{
	"en": {
		msgRestartStarted:         "OK, I've asked for the restart. It takes a few minutes, and your internet will drop while the router restarts: if your phone uses this Wi-Fi, my messages will reach you once it's back. I'll tell you each step here, and meanwhile you can keep chatting with me.",
		msgRestartDone:            "Your router has restarted and is back online. All done!",
		msgRouterOffline:          "I can't reach your router right now. Is it switched on and connected? I'll go ahead as soon as it's back online; if it isn't back within a few minutes, I'll stop and let you know.",
		msgStepQueuedRestart:      "Your restart is queued and will start shortly.",
		msgUpdateWaitingRouter:    "I'm still waiting for your router to come online: I can't reach it right now. Please check that it's switched on and connected.",
		msgUpdateQueuedNow:        "Your router update is queued and will start shortly. I'll tell you each step here.",
		msgRestartQueuedNow:       "Your router restart is queued and will start shortly. I'll tell you each step here.",
		msgRestartInProgress:      "Your router restart is in progress. I'll tell you each step here.",
		msgRestartAt:              "Your router restart is in progress. %s",
		msgLastRestartOK:          "Your last router restart finished successfully.",
		msgLastRestartFailed:      "Your last router restart failed.",
		msgRetryHint:              "Say \"update my router\" to try again, or ask for an agent.",
		msgAgentHint:              "I can't try again from here, but an agent can help: just ask for one.",
		msgFailRestart:            "The restart failed.",
		msgFailRestartDetail:      "The restart failed: %s.",
		msgFailRejectedRestart:    "I can't restart this router from here, so nothing was changed.",
		msgFailUnsupported:        "Your router doesn't accept software updates from here, so nothing was changed.",
		msgFailUnsupportedRestart: "Your router can't be restarted from here, so nothing was changed.",
		msgFailOffline:            "I couldn't reach your router, so nothing was changed. Please check that it's switched on and its cables are plugged in; once it's back online, you can try again.",
		msgFailUnavailableMidway:  "Our update service stopped answering partway through, so I can't tell how it ended.",
		msgFailTimeoutNoAnswer:    "Your router didn't respond in time, so nothing was changed.",
		msgFailTimeoutNotBack:     "Your router did not come back online in time after restarting.",
		msgFailDownload:           "Your router couldn't download the new software, so nothing was installed.",
		msgFailInstall:            "Your router couldn't install the new software and keeps the software it had.",
		msgFailNotBack:            "Your router did not come back online after restarting.",
		msgFailUnconfirmed:        "Your router restarted, but I couldn't confirm that everything works.",
		msgInternetAsBefore:       "Your internet should work as before.",
		msgInternetSwitchOff:      "If your internet isn't back within a few minutes, switch the router off, wait 10 seconds and switch it on again.",
		msgInternetLeaveOn:        "Please leave the router switched on: if your internet isn't back within 10 minutes, an agent can help.",
		msgInternetShouldWork:     "Your internet should work now; if it doesn't, switch the router off and on again.",
		msgCheckSerial:            "Please check the serial number on your router's label, then say \"update my router\" to try with it.",
		msgConfirmRestart:         "I'll restart router %s. Your internet will drop for a few minutes. Shall I go ahead?",
		btnYesRestart:             "Yes, restart it",
	},
	"es": {
		msgRestartStarted:         "De acuerdo, ya pedí el reinicio de tu router. Tarda unos minutos y tu internet se cortará mientras el router se reinicia: si tu teléfono usa este Wi-Fi, mis mensajes te llegarán cuando vuelva. Te aviso aquí de cada paso; mientras tanto puedes seguir hablando conmigo.",
		msgRestartDone:            "Tu router se reinició y está de nuevo en línea. ¡Todo listo!",
		msgRouterOffline:          "Ahora no logro conectar con tu router. ¿Está encendido y conectado? Empiezo en cuanto vuelva a estar en línea; si no vuelve en unos minutos, lo cancelo y te aviso.",
		msgStepQueuedRestart:      "Tu reinicio está en cola y empezará en breve.",
		msgUpdateWaitingRouter:    "Sigo esperando a que tu router se conecte: ahora no logro comunicarme con él. Comprueba que esté encendido y conectado.",
		msgUpdateQueuedNow:        "La actualización de tu router está en cola y empezará en breve. Te aviso aquí de cada paso.",
		msgRestartQueuedNow:       "El reinicio de tu router está en cola y empezará en breve. Te aviso aquí de cada paso.",
		msgRestartInProgress:      "El reinicio de tu router está en curso. Te aviso aquí de cada paso.",
		msgRestartAt:              "El reinicio de tu router está en curso. %s",
		msgLastRestartOK:          "El último reinicio de tu router terminó bien.",
		msgLastRestartFailed:      "El último reinicio de tu router falló.",
		msgRetryHint:              "Escribe \"actualizar mi router\" para intentarlo de nuevo, o pide un agente.",
		msgAgentHint:              "No puedo intentarlo de nuevo desde aquí, pero un agente puede ayudarte: solo tienes que pedirlo.",
		msgFailRestart:            "El reinicio falló.",
		msgFailRestartDetail:      "El reinicio falló: %s.",
		msgFailRejectedRestart:    "No puedo reiniciar este router desde aquí, así que no se cambió nada.",
		msgFailUnsupported:        "Tu router no admite actualizaciones de software desde aquí, así que no se cambió nada.",
		msgFailUnsupportedRestart: "Tu router no se puede reiniciar desde aquí, así que no se cambió nada.",
		msgFailOffline:            "No logré conectar con tu router, así que no se cambió nada. Comprueba que esté encendido y con los cables bien conectados; cuando vuelva a estar en línea, puedes intentarlo de nuevo.",
		msgFailUnavailableMidway:  "Nuestro servicio de actualización dejó de responder a mitad del proceso, así que no sé cómo terminó.",
		msgFailTimeoutNoAnswer:    "Tu router no respondió a tiempo, así que no se cambió nada.",
		msgFailTimeoutNotBack:     "Tu router no volvió a estar en línea a tiempo después de reiniciarse.",
		msgFailDownload:           "Tu router no pudo descargar el nuevo software, así que no se instaló nada.",
		msgFailInstall:            "Tu router no pudo instalar el nuevo software y sigue con el que tenía.",
		msgFailNotBack:            "Tu router no volvió a estar en línea después de reiniciarse.",
		msgFailUnconfirmed:        "Tu router se reinició, pero no pude confirmar que todo funcione.",
		msgInternetAsBefore:       "Tu internet debería funcionar como antes.",
		msgInternetSwitchOff:      "Si tu internet no vuelve en unos minutos, apaga el router, espera 10 segundos y vuelve a encenderlo.",
		msgInternetLeaveOn:        "Deja el router encendido: si tu internet no vuelve en 10 minutos, un agente puede ayudarte.",
		msgInternetShouldWork:     "Tu internet ya debería funcionar; si no, apaga el router y vuelve a encenderlo.",
		msgCheckSerial:            "Revisa el número de serie en la etiqueta de tu router y luego escribe \"actualizar mi router\" para intentarlo con ese número.",
		msgConfirmRestart:         "Voy a reiniciar el router %s. Tu internet se cortará unos minutos. ¿Continúo?",
		btnYesRestart:             "Sí, reinícialo",
	},
	"pt": {
		msgRestartStarted:         "Certo, já pedi para reiniciar o seu roteador. Leva alguns minutos e a sua internet vai cair enquanto o roteador reinicia: se o seu celular usa este Wi-Fi, minhas mensagens chegam quando ela voltar. Vou avisando aqui a cada etapa; enquanto isso, pode continuar conversando comigo.",
		msgRestartDone:            "Seu roteador reiniciou e está online de novo. Tudo pronto!",
		msgRouterOffline:          "Não estou conseguindo acessar o seu roteador agora. Ele está ligado e conectado? Começo assim que ele ficar online; se ele não voltar em alguns minutos, eu cancelo e te aviso.",
		msgStepQueuedRestart:      "Sua reinicialização está na fila e começa em breve.",
		msgUpdateWaitingRouter:    "Ainda estou esperando o seu roteador ficar online: não consigo acessá-lo agora. Confira se ele está ligado e conectado.",
		msgUpdateQueuedNow:        "A atualização do seu roteador está na fila e começa em breve. Vou avisando aqui a cada etapa.",
		msgRestartQueuedNow:       "A reinicialização do seu roteador está na fila e começa em breve. Vou avisando aqui a cada etapa.",
		msgRestartInProgress:      "A reinicialização do seu roteador está em andamento. Vou avisando aqui a cada etapa.",
		msgRestartAt:              "A reinicialização do seu roteador está em andamento. %s",
		msgLastRestartOK:          "A última reinicialização do seu roteador terminou com sucesso.",
		msgLastRestartFailed:      "A última reinicialização do seu roteador falhou.",
		msgRetryHint:              "Escreva \"atualizar roteador\" para tentar de novo, ou peça um atendente.",
		msgAgentHint:              "Não consigo tentar de novo daqui, mas um atendente pode ajudar: é só pedir.",
		msgFailRestart:            "A reinicialização falhou.",
		msgFailRestartDetail:      "A reinicialização falhou: %s.",
		msgFailRejectedRestart:    "Não consigo reiniciar este roteador daqui, então nada foi alterado.",
		msgFailUnsupported:        "Seu roteador não aceita atualizações de software feitas daqui, então nada foi alterado.",
		msgFailUnsupportedRestart: "Seu roteador não pode ser reiniciado daqui, então nada foi alterado.",
		msgFailOffline:            "Não consegui acessar o seu roteador, então nada foi alterado. Confira se ele está ligado e com os cabos bem conectados; quando ele voltar a ficar online, você pode tentar de novo.",
		msgFailUnavailableMidway:  "Nosso serviço de atualização parou de responder no meio do processo, então não sei como terminou.",
		msgFailTimeoutNoAnswer:    "Seu roteador não respondeu a tempo, então nada foi alterado.",
		msgFailTimeoutNotBack:     "Seu roteador não voltou a ficar online a tempo depois de reiniciar.",
		msgFailDownload:           "Seu roteador não conseguiu baixar o novo software, então nada foi instalado.",
		msgFailInstall:            "Seu roteador não conseguiu instalar o novo software e continua com o que já tinha.",
		msgFailNotBack:            "Seu roteador não voltou a ficar online depois de reiniciar.",
		msgFailUnconfirmed:        "Seu roteador reiniciou, mas não consegui confirmar que está tudo funcionando.",
		msgInternetAsBefore:       "Sua internet deve continuar funcionando normalmente.",
		msgInternetSwitchOff:      "Se a internet não voltar em alguns minutos, desligue o roteador, espere 10 segundos e ligue de novo.",
		msgInternetLeaveOn:        "Deixe o roteador ligado: se a internet não voltar em 10 minutos, um atendente pode ajudar.",
		msgInternetShouldWork:     "Sua internet já deve estar funcionando; se não estiver, desligue o roteador e ligue de novo.",
		msgCheckSerial:            "Confira o número de série na etiqueta do seu roteador e depois escreva \"atualizar roteador\" para tentar com ele.",
		msgConfirmRestart:         "Vou reiniciar o roteador %s. Sua internet vai cair por alguns minutos. Posso continuar?",
		btnYesRestart:             "Sim, reinicie",
	},
}

func init() {
	for lang, texts := range updateTexts {
		for k, v := range texts {
			catalogue[lang][k] = v
		}
	}
}
