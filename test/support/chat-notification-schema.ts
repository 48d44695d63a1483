import { z } from 'zod';

/**
 * AWS Chatbot's custom notification ("Custom notifications using Amazon Q Developer in chat
 * applications", https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html), as the
 * event schema and its parameter details give it: `version` must be `1.0`, `source` must be
 * `custom`, `textType` only `client-markdown`; `content` carries the title, the description, the
 * next steps and keywords; `metadata` the thread id, summary, event type, related resources and
 * additional context (string values). AWS documents no length limits there; ours are the tighter of
 * what the chat clients hold (Slack's text blocks: 3,000 characters) and a title of 250.
 */
export const chatNotificationSchema = z.strictObject({
  version: z.literal('1.0'),
  source: z.literal('custom'),
  id: z.string().optional(),
  content: z.strictObject({
    textType: z.literal('client-markdown').optional(),
    title: z.string().min(1).max(250).optional(),
    description: z.string().min(1).max(3000),
    nextSteps: z.array(z.string().min(1)).optional(),
    keywords: z.array(z.string().min(1)).optional(),
  }),
  metadata: z
    .strictObject({
      threadId: z.string().optional(),
      summary: z.string().optional(),
      eventType: z.string().optional(),
      relatedResources: z.array(z.string()).optional(),
      additionalContext: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
});

/**
 * An SNS Publish with `MessageStructure: json` (the Publish API reference): a JSON object with at
 * least a `default` key, every protocol's value a string; the whole message at most 256 KB
 * (262,144 bytes); the subject under 100 characters, no line break.
 */
export const structuredMessageSchema = z
  .string()
  .refine((message) => Buffer.byteLength(message) <= 262_144, 'over 256 KB')
  .transform((message) => JSON.parse(message) as unknown)
  .pipe(z.record(z.string(), z.string()).refine((forms) => 'default' in forms, 'no default'));

export const subjectSchema = z
  .string()
  .min(1)
  .max(99)
  .regex(/^[^\r\n\p{Cc}]*$/u);
