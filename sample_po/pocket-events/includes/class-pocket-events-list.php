<?php
/**
 * The list of upcoming events, as a shortcode and as the block's server-side render.
 */

declare(strict_types=1);

namespace PocketEvents;

enum Seats {
	case Free;
	case Few;
	case Full;

	public function label( int $left ): string {
		return match ( $this ) {
			Seats::Free => __( 'Seats available', 'pocket-events' ),
			/* translators: %d: number of seats still free */
			Seats::Few  => sprintf( _n( 'Only %d seat left', 'Only %d seats left', $left, 'pocket-events' ), $left ),
			Seats::Full => _x( 'Full', 'event status', 'pocket-events' ),
		};
	}
}

final class Events_List {
	public static function shortcode( array $atts = array() ): string {
		$events = get_posts( array( 'post_type' => 'pocket_event', 'numberposts' => 5 ) );
		if ( ! $events ) {
			return self::empty_notice();
		}
		$items = array_map( static fn( \WP_Post $event ): string => self::item( $event ), $events );
		return '<ul class="pocket-events">' . implode( '', $items ) . '</ul>';
	}

	private static function empty_notice(): string {
		// A PHP 7.3 flexible heredoc: the closing marker is indented like the code around it.
		$message = __(
			<<<TEXT
			No events planned yet.
			Check back soon, or ask the club to add one.
			TEXT,
			'pocket-events'
		);
		return '<p class="pocket-events-empty">' . esc_html( $message ) . '</p>';
	}

	private static function item( \WP_Post $event ): string {
		$when = get_post_meta( $event->ID, 'pocket_event_date', true );
		$left = (int) get_post_meta( $event->ID, 'pocket_event_seats', true );
		$seats = $left > 5 ? Seats::Free : ( $left > 0 ? Seats::Few : Seats::Full );
		return sprintf(
			'<li>%s <span>%s</span> <em>%s</em></li>',
			esc_html( get_the_title( $event ) ),
			/* translators: %s: the event's date, e.g. 12 May 2026 */
			esc_html( sprintf( __( 'on %s', 'pocket-events' ), $when ) ),
			esc_html( $seats->label( $left ) )
		);
	}

	public static function register_post_type(): void {
		register_post_type(
			'pocket_event',
			array(
				'labels'  => array(
					'name'          => _x( 'Events', 'post type general name', 'pocket-events' ),
					'singular_name' => _x( 'Event', 'post type singular name', 'pocket-events' ),
					'add_new_item'  => __( 'Add New Event', 'pocket-events' ),
					'not_found'     => __( 'No events found.', 'pocket-events' ),
				),
				'public'  => true,
				'show_in_rest' => true,
			)
		);
	}
}
