/* global wp */
( function ( wp ) {
	const { __, _n, _x, sprintf } = wp.i18n;

	function describeSelection( count ) {
		/* translators: %d: number of selected notes */
		return sprintf( _n( '%d note selected', '%d notes selected', count, 'quick-notes' ), count );
	}

	wp.domReady( function () {
		const button = document.querySelector( '.quick-notes-share' );
		if ( ! button ) {
			return;
		}
		button.textContent = _x( 'Share', 'button: share the note with other editors', 'quick-notes' );
		button.addEventListener( 'click', function () {
			button.textContent = __( 'Shared with all editors.', 'quick-notes' );
			button.title = describeSelection( 1 );
		} );
	} );
} )( window.wp );
