import { paginate, type Booking, type InstaInstruClient } from '@instainstru/sdk';
import { collect } from './collect.js';

/** The signed-in instructor's pending and confirmed lessons between two dates (inclusive). */
export async function activeLessons(client: InstaInstruClient, from: string, to: string): Promise<Booking[]> {
  const all = await collect(paginate(client.bookings.list, { role: 'instructor', from, to }));
  return all.filter((b) => b.status === 'pending' || b.status === 'confirmed');
}
