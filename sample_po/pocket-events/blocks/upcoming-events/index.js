( function ( blocks, i18n, element, blockEditor ) {
	const { __, _n, sprintf } = i18n;
	const el = element.createElement;

	blocks.registerBlockType( 'pocket-events/upcoming-events', {
		edit( { attributes } ) {
			return el(
				'p',
				blockEditor.useBlockProps(),
				sprintf(
					/* translators: %d: how many events the block shows */
					_n( 'Shows the next %d event.', 'Shows the next %d events.', attributes.count, 'pocket-events' ),
					attributes.count
				),
				' ',
				__( 'The list is built on the live site.', 'pocket-events' )
			);
		},
	} );
} )( window.wp.blocks, window.wp.i18n, window.wp.element, window.wp.blockEditor );
