package bot

// Texts of the topics' answers beyond the topics section: the agents' hours said in a
// topic's {hours}. The texts are in content.yaml.
const (
	msgHoursAlways    msgKey = "hours_always"
	msgHoursEveryDay  msgKey = "hours_every_day"
	msgHoursDays      msgKey = "hours_days"
	msgHoursTimes     msgKey = "hours_times"
	msgHoursAllDay    msgKey = "hours_all_day"
	msgHoursWhen      msgKey = "hours_when"
	msgHoursAnd       msgKey = "hours_and"
	msgClockOnTheHour msgKey = "clock_on_the_hour"
	msgClock          msgKey = "clock"
	msgAM             msgKey = "am"
	msgPM             msgKey = "pm"
	msgDayMonday      msgKey = "day_monday"
	msgDayTuesday     msgKey = "day_tuesday"
	msgDayWednesday   msgKey = "day_wednesday"
	msgDayThursday    msgKey = "day_thursday"
	msgDayFriday      msgKey = "day_friday"
	msgDaySaturday    msgKey = "day_saturday"
	msgDaySunday      msgKey = "day_sunday"
	msgOnMondays      msgKey = "on_mondays"
	msgOnTuesdays     msgKey = "on_tuesdays"
	msgOnWednesdays   msgKey = "on_wednesdays"
	msgOnThursdays    msgKey = "on_thursdays"
	msgOnFridays      msgKey = "on_fridays"
	msgOnSaturdays    msgKey = "on_saturdays"
	msgOnSundays      msgKey = "on_sundays"
)

// Texts of a question during an update (what it means for the customer's internet) and of
// a long greeting whose request is not known.
const (
	msgInternetUntilRestart   msgKey = "internet_until_restart"
	msgInternetDownRestarting msgKey = "internet_down_restarting"
	msgInternetBackChecking   msgKey = "internet_back_checking"
	msgGreetingUnclear        msgKey = "greeting_unclear"
)

// The text of a detail told of a cancellation ("we're moving abroad in March" after
// "cancel my contract"): noted for the agent who handles it.
const msgCancelDetail msgKey = "cancel_detail"

// The text of a question on a topic asked again right after the topic's "I can't help with
// that from here" (topic_again): shorter, the agent offered.
const msgTopicAgainShort msgKey = "topic_again_short"

// The text of a topic's agent offer refused in words ("no quiero hablar con nadie, ya estuve
// una hora al teléfono"): no agent, and one here in this chat if they change their mind.
const msgAgentRefused msgKey = "agent_refused"
