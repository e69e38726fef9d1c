<?php
/**
 * Plugin Name:       Quick Notes
 * Plugin URI:        https://example.org/plugins/quick-notes
 * Description:       Pin short notes to the dashboard and share them with the other editors.
 * Version:           1.3.0
 * Requires at least: 6.5
 * Author:            Mira Sample
 * Author URI:        https://example.org/mira
 * License:           GPL-2.0-or-later
 * Text Domain:       quick-notes
 * Domain Path:       /languages
 *
 * A small plugin written for the transkit demo: it ships no .pot, only a partial Italian translation.
 */

defined( 'ABSPATH' ) || exit;

require_once __DIR__ . '/includes/class-quick-notes-widget.php';

add_action( 'init', 'quick_notes_init' );

function quick_notes_init() {
	load_plugin_textdomain( 'quick-notes', false, dirname( plugin_basename( __FILE__ ) ) . '/languages' );

	register_post_type(
		'quick_note',
		array(
			'labels' => array(
				'name'          => _x( 'Notes', 'post type general name', 'quick-notes' ),
				'singular_name' => _x( 'Note', 'post type singular name', 'quick-notes' ),
				'add_new_item'  => __( 'Add New Note', 'quick-notes' ),
				'edit_item'     => __( 'Edit Note', 'quick-notes' ),
				'not_found'     => __( 'No notes found.', 'quick-notes' ),
			),
			'public' => false,
			'show_ui' => true,
		)
	);

	wp_register_script( 'quick-notes-editor', plugins_url( 'js/quick-notes-editor.js', __FILE__ ), array( 'wp-i18n' ), '1.3.0', true );
	wp_set_script_translations( 'quick-notes-editor', 'quick-notes', __DIR__ . '/languages' );
}

add_action( 'admin_notices', 'quick_notes_stale_notice' );

function quick_notes_stale_notice() {
	$stale = (int) get_option( 'quick_notes_stale', 0 );
	if ( ! $stale ) {
		return;
	}
	printf(
		'<div class="notice notice-warning"><p>%s</p></div>',
		esc_html(
			sprintf(
				/* translators: %d: number of notes nobody has opened for 30 days */
				_n( '%d note has not been read for a month.', '%d notes have not been read for a month.', $stale, 'quick-notes' ),
				$stale
			)
		)
	);
}
