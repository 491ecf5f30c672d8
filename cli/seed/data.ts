/** The demo installation: two accounts of a support platform, small enough to read, big enough to page through. */
export interface DemoAccount {
  key: string;
  name: string;
  admin: { name: string; email: string };
  members: { name: string; email: string; role: 'administrator' | 'agent' }[];
  invitations: { email: string; role: 'administrator' | 'agent' }[];
  inbox: string;
  webhook: { name: string; subscriptions: string[] };
  conversations: { contact: { name: string; email: string }; messages: string[] }[];
}

const orderQuestions = Array.from({ length: 14 }, (_, i) =>
  i % 2 === 0 ? `Order #10${40 + i}: any news on the delivery?` : `Thanks — tracking number ${9_000 + i} received.`,
);

export const demoAccounts: DemoAccount[] = [
  {
    key: 'acme',
    name: 'Acme Support',
    admin: { name: 'Ada Lovelace', email: 'ada@acme.demo' },
    members: [
      { name: 'Grace Hopper', email: 'grace@acme.demo', role: 'agent' },
      { name: 'Alan Turing', email: 'alan@acme.demo', role: 'administrator' },
    ],
    invitations: [{ email: 'linus@acme.demo', role: 'agent' }],
    inbox: 'Shop API',
    webhook: { name: 'Order bot', subscriptions: ['conversation_created', 'message_created'] },
    conversations: [
      { contact: { name: 'Ana Lima', email: 'ana@customers.demo' }, messages: orderQuestions },
      {
        contact: { name: 'Bruno Costa', email: 'bruno@customers.demo' },
        messages: ['My invoice shows the wrong address.', 'It should be Rua das Flores 12.'],
      },
      { contact: { name: 'Chen Wei', email: 'chen@customers.demo' }, messages: ['Do you ship to Taipei?'] },
    ],
  },
  {
    key: 'globex',
    name: 'Globex Help',
    admin: { name: 'Hank Scorpio', email: 'hank@globex.demo' },
    members: [{ name: 'Frank Grimes', email: 'frank@globex.demo', role: 'agent' }],
    invitations: [{ email: 'homer@globex.demo', role: 'agent' }],
    inbox: 'Web widget API',
    webhook: { name: 'CRM sync', subscriptions: ['conversation_created'] },
    conversations: [
      {
        contact: { name: 'Dana Scully', email: 'dana@customers.demo' },
        messages: ['The hammock arrived torn.', 'Photos attached in my next email.'],
      },
    ],
  },
];

/** The licence the demo installs: its customer name tells a seeded installation from one with a real licence. */
export const demoLicence = { customer: 'capstan-demo', plan: 'business', seats: 25 } as const;
