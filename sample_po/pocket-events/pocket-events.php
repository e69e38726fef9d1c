<?php
/**
 * Plugin Name:       Pocket Events
 * Plugin URI:        https://example.org/plugins/pocket-events
 * Description:       List the next few events of a small club, in a block or a shortcode.
 * Version:           0.4.0
 * Requires at least: 6.5
 * Requires PHP:      8.1
 * Author:            Noor Sample
 * Author URI:        https://example.org/noor
 * License:           GPL-2.0-or-later
 * Text Domain:       pocket-events
 * Domain Path:       /languages
 *
 * Written for the transkit demo: modern PHP (a PHP 7.3 flexible heredoc, an enum, match) and a
 * block.json. GNU xgettext 0.21 stops reading includes/class-pocket-events-list.php at its heredoc.
 */

declare(strict_types=1);

namespace PocketEvents;

defined( 'ABSPATH' ) || exit;

require_once __DIR__ . '/includes/class-pocket-events-list.php';

add_action(
	'init',
	static function (): void {
		register_block_type( __DIR__ . '/blocks/upcoming-events' );
		add_shortcode( 'pocket_events', array( Events_List::class, 'shortcode' ) );
	}
);
