<?php
/**
 * The dashboard widget that lists the pinned notes.
 */
class Quick_Notes_Widget {

	public static function register() {
		wp_add_dashboard_widget( 'quick_notes', esc_html__( 'Pinned notes', 'quick-notes' ), array( __CLASS__, 'render' ) );
	}

	public static function render() {
		$notes = get_posts( array( 'post_type' => 'quick_note', 'numberposts' => 5 ) );
		if ( ! $notes ) {
			echo '<p>' . esc_html__( 'Nothing pinned yet. Write the first note!', 'quick-notes' ) . '</p>';
			return;
		}
		echo '<ul>';
		foreach ( $notes as $note ) {
			printf(
				'<li>%s <span>%s</span></li>',
				esc_html( get_the_title( $note ) ),
				/* translators: %s: how long ago, e.g. "3 hours" */
				esc_html( sprintf( __( '%s ago', 'quick-notes' ), human_time_diff( get_post_time( 'U', false, $note ) ) ) )
			);
		}
		echo '</ul>';
		echo '<a class="button" href="' . esc_url( admin_url( 'post-new.php?post_type=quick_note' ) ) . '">'
			. esc_html_x( 'Pin', 'verb: pin a new note', 'quick-notes' ) . '</a>';
	}
}

add_action( 'wp_dashboard_setup', array( 'Quick_Notes_Widget', 'register' ) );
