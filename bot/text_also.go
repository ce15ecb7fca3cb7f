package bot

// Texts of a message that asks two things, or asks something beside a grievance: the
// agent for the other question offered after the update, sympathy before a topic's answer
// to an angry customer, and a protocol or reference number asked of the bot. The texts are
// in content.yaml.
const (
	msgAgentAfterUpdateOffered msgKey = "agent_after_update_offered"
	msgSorryTopic              msgKey = "sorry_topic"
	msgSorryTopicMore          msgKey = "sorry_topic_more"
	msgProtocolNotHere         msgKey = "protocol_not_here"
	msgProtocolGivenAbove      msgKey = "protocol_given_above"
	msgProtocolNotHereCancel   msgKey = "protocol_not_here_cancel"
)

// ReasonProtocol: the customer asks for a protocol or reference number of a request; the
// bot registers none, an agent does and gives it.
const ReasonProtocol = "protocol_asked"
