import { Op, QueryTypes, type Transaction } from 'sequelize';
import type { Db } from '../platform/db.js';
import { toDate } from '../platform/time.js';
import type { BookingPaymentAttributes, PaymentMethodAttributes } from './model.js';

export type BookingPaymentRow = Omit<BookingPaymentAttributes, 'created_at' | 'updated_at'>;
export type CardRow = Omit<PaymentMethodAttributes, 'created_at'> & { created_at: Date };

const dates = ['authorize_at', 'capture_before', 'action_expires_at', 'pending_since'] as const;

function toPayment(r: BookingPaymentAttributes): BookingPaymentRow {
  const { created_at: _c, updated_at: _u, ...row } = r;
  const out: BookingPaymentRow = { ...row, amount: Number(r.amount), authorized_amount: Number(r.authorized_amount), captured_amount: Number(r.captured_amount), refunded_amount: Number(r.refunded_amount), fee_amount: Number(r.fee_amount), attempt: Number(r.attempt) };
  for (const k of dates) out[k] = r[k] ? toDate(r[k]) : null;
  return out;
}

function toCard(r: PaymentMethodAttributes): CardRow {
  return { ...r, exp_month: Number(r.exp_month), exp_year: Number(r.exp_year), is_default: Boolean(r.is_default), created_at: toDate(r.created_at) };
}

/** The only code that touches customers, saved cards and booking payments. */
export function paymentRepository(db: Db) {
  const { PaymentCustomer, PaymentMethod, BookingPayment } = db.models;
  return {
    async customerOf(userId: string, processor: string, tx?: Transaction): Promise<string | null> {
      const r = await PaymentCustomer.findOne({ where: { user_id: userId, processor }, transaction: tx });
      return r?.get({ plain: true }).customer_id ?? null;
    },
    async saveCustomer(userId: string, processor: string, customerId: string, now: Date, tx: Transaction): Promise<void> {
      await PaymentCustomer.bulkCreate([{ user_id: userId, processor, customer_id: customerId, created_at: now }], { ignoreDuplicates: true, transaction: tx });
    },
    /** The user's cards (oldest first) and their customer at the processor, in one query. */
    async cardsWithCustomer(userId: string, processor: string, tx: Transaction): Promise<{ cards: CardRow[]; customer: string | null }> {
      const rows = await db.sequelize.query<PaymentMethodAttributes & { customer: string | null }>(
        `SELECT pm.id, pm.user_id, pm.processor, pm.brand, pm.last4, pm.exp_month, pm.exp_year, pm.is_default, pm.created_at, pc.customer_id AS customer
           FROM payment_methods pm LEFT JOIN payment_customers pc ON pc.user_id = pm.user_id AND pc.processor = pm.processor
          WHERE pm.user_id = :userId AND pm.processor = :processor ORDER BY pm.created_at ASC, pm.id ASC`,
        { replacements: { userId, processor }, type: QueryTypes.SELECT, transaction: tx },
      );
      return { cards: rows.map(({ customer: _, ...card }) => toCard(card)), customer: rows[0]?.customer ?? null };
    },
    async cards(userId: string, processor: string, tx?: Transaction): Promise<CardRow[]> {
      const rows = await PaymentMethod.findAll({ where: { user_id: userId, processor }, order: [['created_at', 'ASC'], ['id', 'ASC']], transaction: tx });
      return rows.map((r) => toCard(r.get({ plain: true })));
    },
    /** Saves a card (once: saving it again changes nothing but, when asked, makes it the default). */
    async addCard(card: Omit<CardRow, 'created_at'>, now: Date, tx: Transaction): Promise<void> {
      await PaymentMethod.bulkCreate([{ ...card, created_at: now, is_default: false }], { ignoreDuplicates: true, transaction: tx });
      if (!card.is_default) return;
      await PaymentMethod.update({ is_default: false }, { where: { user_id: card.user_id, id: { [Op.ne]: card.id } }, transaction: tx });
      await PaymentMethod.update({ is_default: true }, { where: { user_id: card.user_id, id: card.id }, transaction: tx });
    },
    async removeCard(userId: string, id: string, tx: Transaction): Promise<boolean> {
      return (await PaymentMethod.destroy({ where: { user_id: userId, id }, transaction: tx })) > 0;
    },
    async setDefault(userId: string, id: string, tx: Transaction): Promise<void> {
      await PaymentMethod.update({ is_default: false }, { where: { user_id: userId, id: { [Op.ne]: id } }, transaction: tx });
      await PaymentMethod.update({ is_default: true }, { where: { user_id: userId, id }, transaction: tx });
    },
    async createPayment(p: BookingPaymentRow, now: Date, tx: Transaction): Promise<BookingPaymentRow> {
      const r = await BookingPayment.create({ ...p, created_at: now, updated_at: now }, { transaction: tx });
      return toPayment(r.get({ plain: true }));
    },
    /** Inside a transaction the row is locked (PostgreSQL), so two steps of one payment take turns. */
    async find(bookingId: string, tx?: Transaction): Promise<BookingPaymentRow | null> {
      const r = await BookingPayment.findByPk(bookingId, { transaction: tx, lock: tx?.LOCK.UPDATE });
      return r ? toPayment(r.get({ plain: true })) : null;
    },
    async findMany(bookingIds: string[]): Promise<Map<string, BookingPaymentRow>> {
      if (!bookingIds.length) return new Map();
      const rows = await BookingPayment.findAll({ where: { booking_id: bookingIds } });
      return new Map(rows.map((r) => [r.get({ plain: true }).booking_id, toPayment(r.get({ plain: true }))]));
    },
    async findByIntent(intentId: string, tx?: Transaction): Promise<BookingPaymentRow | null> {
      const r = await BookingPayment.findOne({ where: { intent_id: intentId }, transaction: tx, lock: tx?.LOCK.UPDATE });
      return r ? toPayment(r.get({ plain: true })) : null;
    },
    async update(bookingId: string, changes: Partial<BookingPaymentRow>, now: Date, tx: Transaction): Promise<BookingPaymentRow> {
      await BookingPayment.update({ ...changes, updated_at: now }, { where: { booking_id: bookingId }, transaction: tx });
      return (await this.find(bookingId, tx))!;
    },
    /**
     * Starts a step on a payment no other step is running on (or, with `resume`, takes up that
     * step left pending), whose refunds are still `refundedAmount`: one statement, so of two
     * concurrent refunds only one starts; false otherwise.
     */
    async claimStep(bookingId: string, step: string, refundedAmount: number, now: Date, resume = false): Promise<boolean> {
      return db.transaction(async (tx) => {
        const [n] = await BookingPayment.update({ pending_step: step, pending_since: now, updated_at: now }, { where: { booking_id: bookingId, pending_step: resume ? step : null, refunded_amount: refundedAmount }, transaction: tx });
        return n === 1;
      });
    },
    /** Records a webhook event as applied; false when it already was (a replay). Same transaction as its effect. */
    async markEventProcessed(id: string, type: string, now: Date, tx: Transaction): Promise<boolean> {
      if (db.dialect === 'sqlite') {
        // The writer queue serializes SQLite's write transactions: look, then insert, cannot race.
        const { ProcessedWebhookEvent } = db.models;
        if (await ProcessedWebhookEvent.findByPk(id, { transaction: tx })) return false;
        await ProcessedWebhookEvent.create({ id, type, received_at: now }, { transaction: tx });
        return true;
      }
      // ON CONFLICT DO NOTHING RETURNING: a row back means this delivery is the first; a concurrent
      // duplicate waits for the first one's commit, then gets no row (and never aborts its transaction).
      const rows = await db.sequelize.query('INSERT INTO processed_webhook_events (id, type, received_at) VALUES (:id, :type, :now) ON CONFLICT (id) DO NOTHING RETURNING id', {
        replacements: { id, type, now },
        type: QueryTypes.SELECT,
        transaction: tx,
      });
      return rows.length === 1;
    },
    async userOfCustomer(customerId: string, tx?: Transaction): Promise<string | null> {
      const r = await PaymentCustomer.findOne({ where: { customer_id: customerId }, transaction: tx });
      return r?.get({ plain: true }).user_id ?? null;
    },
    /** Payments whose processor call started before `before` and never recorded its outcome. */
    async stuck(before: Date, limit: number): Promise<BookingPaymentRow[]> {
      const rows = await BookingPayment.findAll({ where: { pending_step: { [Op.ne]: null }, pending_since: { [Op.lte]: before } }, limit });
      return rows.map((r) => toPayment(r.get({ plain: true })));
    },
  };
}

export type PaymentRepository = ReturnType<typeof paymentRepository>;
