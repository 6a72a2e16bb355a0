import type { ChatMessage } from "../dataset/types.js";

/** A conversation turn of the user or the model, for APIs that take the system prompt apart (Anthropic, Gemini). */
export interface ConversationTurn {
  role: "user" | "assistant";
  content: string;
}

/** The system prompt as one text, with the conversation's system turns folded into it, and the other turns in order. */
export function splitSystem(system: string | undefined, messages: ChatMessage[]): { system: string | undefined; turns: ConversationTurn[] } {
  const systemParts = system ? [system] : [];
  const turns: ConversationTurn[] = [];
  for (const message of messages) {
    if (message.role === "system") systemParts.push(message.content);
    else turns.push({ role: message.role, content: message.content });
  }
  return { system: systemParts.length > 0 ? systemParts.join("\n\n") : undefined, turns };
}
