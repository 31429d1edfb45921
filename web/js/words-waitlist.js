// Words of the rooms' waiting lists (views/request.js, mine.js, admin.js), French first; added
// to the catalogue of i18n.js by main.js. The rules are in docs/domain.md, "Room waiting lists".

export const WAITLIST_WORDS = {
  fr: {
    'status.waiting': 'Liste d’attente',
    'history.waiting': 'mise sur la liste d’attente', 'history.promoted': 'sortie de la liste d’attente (créneau libéré)',
    'request.taken': 'Ce créneau est déjà pris. Votre demande peut attendre qu’il se libère : elle garde sa place dans vos gratuités, et vous serez prévenu si elle passe.',
    'request.wait': 'Mettre la demande sur la liste d’attente',
    'quote.taken': 'Ce créneau est déjà pris. Devis de la demande si elle attend qu’il se libère :',
    'request.sentWaiting': 'Demande « {title} » sur la liste d’attente (place {place}). Si le créneau se libère, elle passera à l’accord de LLV et vous serez prévenu ; sinon elle s’annule quand le créneau commence.',
    'problem.wait.conflict': 'Votre organisation attend déjà ce créneau dans cette salle, ou sa liste d’attente est pleine.',
    'mine.place': 'place {place} sur la liste',
    'waitlist.title': 'Listes d’attente des salles',
    'waitlist.hint': 'Quand un créneau se libère (refus ou annulation), les demandes de la liste qui y tiennent passent, dans cet ordre, dans les demandes à traiter. Celles dont le créneau commence sans s’être libéré sont annulées.',
    'waitlist.empty': 'Aucune demande n’attend un créneau de vos salles.',
    'waitlist.up': 'Monter « {title} »', 'waitlist.down': 'Descendre « {title} »',
    'waitlist.moved': 'Liste d’attente de {room} : « {title} » est maintenant place {place}.',
    'waitlist.refused': 'Demande en attente refusée : {title}.',
  },
  en: {
    'status.waiting': 'Waiting list',
    'history.waiting': 'put on the waiting list', 'history.promoted': 'left the waiting list (period freed up)',
    'request.taken': 'This period is already taken. Your request can wait for it to free up: it keeps its place in your free bookings, and you will be told if it goes through.',
    'request.wait': 'Put the request on the waiting list',
    'quote.taken': 'This period is already taken. The quote of the request if it waits for it to free up:',
    'request.sentWaiting': 'Request “{title}” is on the waiting list (place {place}). If the period frees up, it goes to LLV for approval and you will be told; otherwise it is cancelled when the period begins.',
    'problem.wait.conflict': 'Your organisation already waits for this period of this room, or its waiting list is full.',
    'mine.place': 'place {place} on the list',
    'waitlist.title': 'Rooms’ waiting lists',
    'waitlist.hint': 'When a period frees up (a refusal or a cancellation), the requests of the list that fit it become pending requests, in this order. Those whose period begins before it frees up are cancelled.',
    'waitlist.empty': 'No request waits for a period of your rooms.',
    'waitlist.up': 'Move “{title}” up', 'waitlist.down': 'Move “{title}” down',
    'waitlist.moved': '{room}’s waiting list: “{title}” is now in place {place}.',
    'waitlist.refused': 'Waiting request refused: {title}.',
  },
};
