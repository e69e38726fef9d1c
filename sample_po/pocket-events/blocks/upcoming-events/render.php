<?php
/**
 * Server-side render of the Upcoming events block.
 *
 * @var array $attributes
 */

echo \PocketEvents\Events_List::shortcode( array( 'count' => $attributes['count'] ?? 5 ) ) ?: esc_html__( 'Nothing to show.', 'pocket-events' );
